package org.amber.transforms.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.amber.transforms.partition.Partition;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.BoundedSource.BoundedReader;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;

class PartitionSourceTest {
  /** Bundles seen by {@link RecordBundles}, per test run: the direct runner serialises the DoFn. */
  private static final Map<String, Map<String, List<Integer>>> BUNDLES = new ConcurrentHashMap<>();

  /** Partitions whose predicates differ in length, as a plan's ranges do. */
  private static List<Partition> partitions(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> new Partition(i, "q.\"id\" >= " + "9".repeat(1 + i * 7)))
        .toList();
  }

  @Test
  void splitsIntoOneSourcePerPartitionWhateverBundleSizeIsAsked() throws Exception {
    List<Partition> partitions = partitions(5);
    PartitionSource source = PartitionSource.of(partitions);
    for (long desired : new long[] {0, 1, source.getEstimatedSizeBytes(null), Long.MAX_VALUE}) {
      List<PartitionSource> splits = source.split(desired, null);
      assertEquals(
          partitions.stream().map(List::of).toList(),
          splits.stream().map(PartitionSource::partitions).toList(),
          "desired bundle size " + desired);
    }
  }

  @Test
  void itsReaderGivesEachPartitionOnceAndNothingBeforeOrAfter() throws Exception {
    List<Partition> partitions = partitions(3);
    PartitionSource source = PartitionSource.of(partitions);
    try (BoundedReader<Partition> reader = source.createReader(null)) {
      assertThrows(NoSuchElementException.class, reader::getCurrent);
      List<Partition> read = new ArrayList<>();
      for (boolean more = reader.start(); more; more = reader.advance()) {
        read.add(reader.getCurrent());
      }
      assertEquals(partitions, read);
      assertThrows(NoSuchElementException.class, reader::getCurrent);
      assertFalse(reader.advance());
      assertEquals(source, reader.getCurrentSource());
    }
  }

  @Test
  void onTheDirectRunnerEachPartitionIsABundleOfItsOwn() {
    // More partitions than threads, predicates of different lengths: Create would put several
    // partitions in one bundle here, and a worker would read them one after another.
    List<Partition> partitions = partitions(12);
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setTargetParallelism(4);
    String run = UUID.randomUUID().toString();
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(Read.from(PartitionSource.of(partitions)))
        .apply(ParDo.of(new RecordBundles(run)));
    assertEquals(PipelineResult.State.DONE, pipeline.run().waitUntilFinish());

    Map<String, List<Integer>> bundles = BUNDLES.remove(run);
    assertEquals(partitions.size(), bundles.size(), bundles.toString());
    List<Integer> seen = new ArrayList<>();
    for (List<Integer> bundle : bundles.values()) {
      assertEquals(1, bundle.size(), bundles.toString());
      seen.addAll(bundle);
    }
    Collections.sort(seen);
    assertEquals(IntStream.range(0, partitions.size()).boxed().toList(), seen);
  }

  @Test
  void refusesNoPartitions() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PartitionSource.of(List.of()));
    assertEquals("PartitionSource.of(…) needs at least one partition, got []", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PartitionSource.of(null));
  }

  @Test
  void displayDataCountsThePartitions() {
    DisplayData data = DisplayData.from(PartitionSource.of(partitions(7)));
    assertTrue(
        data.items().stream()
            .anyMatch(
                i -> i.getKey().equals("partitions") && ((Number) i.getValue()).intValue() == 7),
        data.toString());
  }

  /** Records which partitions each bundle held, under its run's key. */
  private static final class RecordBundles extends DoFn<Partition, Void> {
    private final String run;
    private transient String bundle;

    RecordBundles(String run) {
      this.run = run;
    }

    @StartBundle
    public void startBundle() {
      bundle = UUID.randomUUID().toString();
    }

    @ProcessElement
    public void processElement(@Element Partition partition) {
      BUNDLES
          .computeIfAbsent(run, r -> new ConcurrentHashMap<>())
          .computeIfAbsent(bundle, b -> Collections.synchronizedList(new ArrayList<>()))
          .add(partition.index());
    }
  }
}
