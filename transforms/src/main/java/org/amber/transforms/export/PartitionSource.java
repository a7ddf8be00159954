package org.amber.transforms.export;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.amber.transforms.partition.Partition;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * A plan's partitions as a bounded source that splits into one source per partition, whatever
 * bundle size the runner asks for. The direct runner reads each split as a bundle of its own, on a
 * worker thread of its own, and hands its output on as a bundle of its own: every partition is then
 * exported in parallel with no shuffle in between (see {@link
 * ExportPartitions#withSpreading(boolean)}). A distributed runner gets the same splits as its
 * initial work items.
 *
 * <pre>{@code
 * PCollection<ShardResult> shards =
 *     pipeline
 *         .apply("Partitions", Read.from(PartitionSource.of(plan.partitions())))
 *         .apply(ExportPartitions.from(reader, schema)
 *             .to("file:///data/compound/.staging/b-123/")
 *             .withShards(plan.shards())
 *             .withSpreading(false));
 * }</pre>
 *
 * <p>{@link org.apache.beam.sdk.transforms.Create} would do for the partitions themselves, but it
 * splits by their encoded size: partitions whose predicates differ in length would share bundles,
 * and be read one after another.
 */
public final class PartitionSource extends BoundedSource<Partition> {
  private final List<Partition> partitions;

  private PartitionSource(List<Partition> partitions) {
    this.partitions = partitions;
  }

  /** The source of {@code partitions}, in their order. */
  public static PartitionSource of(List<Partition> partitions) {
    checkArgument(
        partitions != null
            && !partitions.isEmpty()
            && partitions.stream().allMatch(Objects::nonNull),
        "PartitionSource.of(…) needs at least one partition, got %s",
        partitions);
    return new PartitionSource(List.copyOf(partitions));
  }

  /** The partitions this source reads. */
  public List<Partition> partitions() {
    return partitions;
  }

  @Override
  public List<PartitionSource> split(long desiredBundleSizeBytes, PipelineOptions options) {
    // One partition is one unit of work (a connection, a shard per format): never fewer splits
    // than partitions, and a split of one partition is already as small as it gets.
    return partitions.stream().map(p -> new PartitionSource(List.of(p))).toList();
  }

  /** The size of the partitions themselves (their predicates): the rows are read downstream. */
  @Override
  public long getEstimatedSizeBytes(PipelineOptions options) {
    long bytes = 0;
    for (Partition partition : partitions) {
      bytes += Integer.BYTES + partition.predicate().getBytes(StandardCharsets.UTF_8).length;
    }
    return bytes;
  }

  @Override
  public BoundedReader<Partition> createReader(PipelineOptions options) {
    return new PartitionReader(this);
  }

  @Override
  public Coder<Partition> getOutputCoder() {
    return SerializableCoder.of(Partition.class);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("partitions", partitions.size()).withLabel("Partitions"));
  }

  private static final class PartitionReader extends BoundedReader<Partition> {
    private final PartitionSource source;
    private int current = -1;

    PartitionReader(PartitionSource source) {
      this.source = source;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (current < source.partitions.size()) {
        current++;
      }
      return current < source.partitions.size();
    }

    @Override
    public Partition getCurrent() {
      if (current < 0 || current >= source.partitions.size()) {
        throw new NoSuchElementException("no current partition");
      }
      return source.partitions.get(current);
    }

    @Override
    public PartitionSource getCurrentSource() {
      return source;
    }

    @Override
    public void close() {}
  }
}
