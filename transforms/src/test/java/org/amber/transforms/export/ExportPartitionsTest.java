package org.amber.transforms.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.format.FormatOptions;
import org.amber.transforms.jdbc.JdbcPartitionReader;
import org.amber.transforms.partition.Partition;
import org.amber.transforms.partition.PartitionPlan;
import org.amber.transforms.postgres.PostgresPartitionReader;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.source.JdbcSource;
import org.amber.transforms.source.SourceRelation;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.display.HasDisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class ExportPartitionsTest {
  static final String SECRET = "hunter2";
  static final SourceSchema SCHEMA =
      new SourceSchema(
          List.of(
              new Column("id", ColumnType.of(ColumnType.Kind.INT64), false, "int8", "q.\"id\""),
              new Column(
                  "name", ColumnType.of(ColumnType.Kind.STRING), true, "text", "q.\"name\"")));

  /** A reader of a source whose password is both in its URL and given apart from it. */
  static PostgresPartitionReader reader() {
    JdbcSource source =
        new JdbcSource(
                "jdbc:postgresql://db.example:5432/lab?user=reader&password=" + SECRET, SECRET, 0)
            .forBuild("b-1");
    return new PostgresPartitionReader(
        source,
        SourceRelation.query("SELECT id, name FROM t"),
        SCHEMA,
        PartitionPlan.single(null, "1, 2"),
        "00000003-0000001B-1");
  }

  private static ExportPartitions export() {
    return ExportPartitions.from(reader(), SCHEMA)
        .to("file:///data/compound/.staging/b-1/")
        .withFormats(List.of(ShardFormat.PARQUET, ShardFormat.CSV_GZ))
        .withShards(8)
        .withFormatOptions(new FormatOptions("snappy", 9));
  }

  @Test
  void aBadArgumentFailsInItsWithMethod() {
    ExportPartitions base = ExportPartitions.from(reader(), SCHEMA);
    assertEquals(
        "ExportPartitions.to(…) takes a staging folder ending in '/', got file:///data/x",
        assertThrows(IllegalArgumentException.class, () -> base.to("file:///data/x")).getMessage());
    assertEquals(
        "ExportPartitions.withShards(…) must be at least 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> base.withShards(0)).getMessage());
    assertEquals(
        "ExportPartitions.withFormats(…) needs at least one format, got []",
        assertThrows(IllegalArgumentException.class, () -> base.withFormats(List.of()))
            .getMessage());
    assertEquals(
        "ExportPartitions.withFormats(…) names a format twice: [PARQUET, PARQUET]",
        assertThrows(
                IllegalArgumentException.class,
                () -> base.withFormats(List.of(ShardFormat.PARQUET, ShardFormat.PARQUET)))
            .getMessage());
    assertEquals(
        "ExportPartitions.withFormatOptions(…) needs format options, got null",
        assertThrows(IllegalArgumentException.class, () -> base.withFormatOptions(null))
            .getMessage());
    assertEquals(
        "ExportPartitions.from(…) needs a partition reader, got null",
        assertThrows(IllegalArgumentException.class, () -> ExportPartitions.from(null, SCHEMA))
            .getMessage());
  }

  @Test
  void withReturnsANewTransformAndLeavesItsOriginAsItWas() {
    ExportPartitions base = ExportPartitions.from(reader(), SCHEMA);
    ExportPartitions eight = base.withShards(8);
    assertNotSame(base, eight);
    assertEquals(1L, ((Number) items(base).get("shards")).longValue());
    assertEquals(8L, ((Number) items(eight).get("shards")).longValue());
  }

  @Test
  void expandOnlyChecksThatTheStagingFolderWasGiven() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Partition> partitions =
        pipeline.apply(
            Create.of(PartitionPlan.single(null, "1").partitions())
                .withCoder(SerializableCoder.of(Partition.class)));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> partitions.apply(ExportPartitions.from(reader(), SCHEMA)));
    assertEquals("ExportPartitions needs .to(a staging folder ending in /)", e.getMessage());
  }

  @Test
  void thePartitionsAreSpreadByAShuffleUnlessToldTheyAreAlready() {
    assertEquals(List.of("Export/SpreadPartitions", "Export/ReadAndWriteShards"), steps(export()));
    assertEquals(List.of("Export/ReadAndWriteShards"), steps(export().withSpreading(false)));
    assertEquals(true, items(export()).get("spreading"));
    assertEquals(false, items(export().withSpreading(false)).get("spreading"));
  }

  /** The composite and primitive steps {@code export} adds to a pipeline, by full name. */
  private static List<String> steps(ExportPartitions export) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline
        .apply(
            "Partitions",
            Read.from(PartitionSource.of(PartitionPlan.single(null, "1").partitions())))
        .apply("Export", export);
    List<String> names = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            add(node);
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            add(node);
          }

          private void add(TransformHierarchy.Node node) {
            String name = node.getFullName();
            if (name.startsWith("Export/") && name.indexOf('/', "Export/".length()) < 0) {
              names.add(name);
            }
          }
        });
    return names;
  }

  @Test
  void displayDataShowsWhatIsWrittenAndWhereButNoPassword() {
    DisplayData data = DisplayData.from(export());
    Map<String, Object> items = items(export());
    assertEquals("file:///data/compound/.staging/b-1/", items.get("stagingDir"));
    assertEquals("parquet,csv.gz", items.get("formats"));
    assertEquals(8L, ((Number) items.get("shards")).longValue());
    assertEquals("snappy", items.get("parquetCompression"));
    assertEquals(9L, ((Number) items.get("gzipLevel")).longValue());
    assertEquals(2L, ((Number) items.get("columns")).longValue());
    assertEquals(
        "jdbc:postgresql://db.example:5432/lab?user=reader&password=***", items.get("source"));
    assertEquals("00000003-0000001B-1", items.get("snapshotId"));
    for (DisplayData.Item item : data.items()) {
      assertFalse(String.valueOf(item.getValue()).contains(SECRET), item.toString());
    }
  }

  @Test
  void aGenericReadersDisplayDataHidesThePasswordToo() throws Exception {
    JdbcSource source =
        new JdbcSource("jdbc:postgresql://db.example/lab?password=" + SECRET, SECRET, 0);
    JdbcPartitionReader reader =
        new JdbcPartitionReader(
            source, SourceRelation.table("t"), SCHEMA, PartitionPlan.single(null, "1, 2"));
    Map<String, Object> items = items(ExportPartitions.from(reader, SCHEMA).to("file:///s/"));
    assertEquals("jdbc:postgresql://db.example/lab?password=***", items.get("source"));
    items.values().forEach(v -> assertFalse(String.valueOf(v).contains(SECRET), String.valueOf(v)));
  }

  @Test
  void theUsageExampleInTheJavadocBuilds() {
    // The class javadoc's example, as written there.
    ExportPartitions example =
        ExportPartitions.from(reader(), SCHEMA)
            .to("file:///data/compound/.staging/b-123/")
            .withFormats(List.of(ShardFormat.PARQUET, ShardFormat.CSV_GZ))
            .withShards(PartitionPlan.single(null, "1").shards());
    assertTrue(items(example).containsKey("stagingDir"));
  }

  static Map<String, Object> items(HasDisplayData component) {
    return DisplayData.from(component).items().stream()
        .collect(Collectors.toMap(DisplayData.Item::getKey, DisplayData.Item::getValue));
  }
}
