package org.amber.transforms.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.amber.artifacts.build.BuildRecord;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.artifacts.manifest.Partitioning;
import org.amber.artifacts.manifest.SchemaField;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.export.ShardResult;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class CommitDatasetTest {
  private static final DatasetLayout LAYOUT = DatasetLayout.of("file:///data", "compound");
  private static final List<SchemaField> SCHEMA =
      List.of(new SchemaField("id", "int64", false, "int8"));
  private static final List<ShardFormat> FORMATS = List.of(ShardFormat.PARQUET);

  private static BuildRecord draft(String buildId, String dataset) {
    return BuildRecord.builder()
        .buildId(buildId)
        .dataset(dataset)
        .source(
            new BuildRecord.Source("postgresql", "16.4", "jdbc:postgresql://db/lab?password=***"))
        .sql("SELECT 1 AS id")
        .snapshot(new BuildRecord.Snapshot("none", "none", null, null, null))
        .partitionPlan(List.of())
        .formats(List.of("parquet"))
        .startedAt("2026-01-01T00:00:00Z")
        .runner("DirectRunner", null)
        .versions("test", "2.71.0")
        .build();
  }

  @Test
  void aBadArgumentFailsInItsWithMethod() {
    CommitDataset base = CommitDataset.to(LAYOUT, "b-1");
    assertEquals(
        "invalid build id 'no spaces'",
        assertThrows(IllegalArgumentException.class, () -> CommitDataset.to(LAYOUT, "no spaces"))
            .getMessage());
    assertEquals(
        "CommitDataset.withContent(…) needs a partitioning of at least 1 shard, got null",
        assertThrows(
                IllegalArgumentException.class,
                () -> base.withContent(SCHEMA, null, FORMATS, "zstd"))
            .getMessage());
    assertEquals(
        "CommitDataset.withContent(…) needs at least one format, got []",
        assertThrows(
                IllegalArgumentException.class,
                () -> base.withContent(SCHEMA, new Partitioning(null, 1), List.of(), "zstd"))
            .getMessage());
    assertEquals(
        "CommitDataset.withContent(…) needs the Parquet compression the shards were written with",
        assertThrows(
                IllegalArgumentException.class,
                () -> base.withContent(SCHEMA, new Partitioning(null, 1), FORMATS, null))
            .getMessage());
    assertEquals(
        "CommitDataset.withBuildRecord(…) got the record of build b-2 of dataset compound;"
            + " this commits build b-1 of dataset compound",
        assertThrows(
                IllegalArgumentException.class,
                () -> base.withBuildRecord(draft("b-2", "compound")))
            .getMessage());
  }

  @Test
  void expandOnlyChecksThatContentAndRecordWereGiven() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<ShardResult> shards =
        pipeline.apply(Create.empty(SerializableCoder.of(ShardResult.class)));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                shards.apply(
                    CommitDataset.to(LAYOUT, "b-1")
                        .withContent(SCHEMA, new Partitioning("id", 4), FORMATS, "zstd")));
    assertEquals("CommitDataset needs withContent(…) and withBuildRecord(…)", e.getMessage());
  }

  @Test
  void displayDataShowsTheDatasetBuildAndContent() {
    CommitDataset commit =
        CommitDataset.to(LAYOUT, "b-1")
            .withContent(SCHEMA, new Partitioning("id", 4), FORMATS, "zstd")
            .withBuildRecord(draft("b-1", "compound"));
    Map<String, Object> items =
        DisplayData.from(commit).items().stream()
            .collect(Collectors.toMap(DisplayData.Item::getKey, DisplayData.Item::getValue));
    assertEquals("compound", items.get("dataset"));
    assertEquals(LAYOUT.datasetDir(), items.get("output"));
    assertEquals("b-1", items.get("buildId"));
    assertEquals("parquet", items.get("formats"));
    assertEquals("zstd", items.get("parquetCompression"));
    assertEquals(4L, ((Number) items.get("shards")).longValue());
    assertEquals("id", items.get("partitionColumn"));
    assertEquals(1L, ((Number) items.get("columns")).longValue());
    // The draft's source URL is not the commit's business: nothing of it is shown.
    items
        .values()
        .forEach(
            value -> assertFalse(String.valueOf(value).contains("jdbc:"), String.valueOf(value)));
  }
}
