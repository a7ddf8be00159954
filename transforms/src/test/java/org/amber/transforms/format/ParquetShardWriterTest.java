package org.amber.transforms.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.ColumnType.Kind;
import org.amber.transforms.schema.SourceSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.GroupWriter;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shard writer feeds parquet-java's column writers itself, computing repetition and definition
 * levels without the record shredder: its files must be byte for byte those of parquet-java's own
 * {@link ParquetWriter} with the same settings, for every type, NULLs, empty lists, NULL elements,
 * several pages and several row groups.
 */
class ParquetShardWriterTest {
  private static final SourceSchema SCHEMA =
      new SourceSchema(
          List.of(
              column("id", ColumnType.of(Kind.INT64), false),
              column("small", ColumnType.of(Kind.INT16), true),
              column("flag", ColumnType.of(Kind.BOOL), true),
              column("ratio", ColumnType.of(Kind.FLOAT32), true),
              column("value", ColumnType.of(Kind.FLOAT64), true),
              column("price", ColumnType.decimal(9, 2), true),
              column("amount", ColumnType.decimal(18, 4), false),
              column("exact", ColumnType.decimal(0, 0), true),
              column("label", ColumnType.of(Kind.STRING), false),
              column("padding", ColumnType.of(Kind.BINARY), true),
              column("blob", ColumnType.of(Kind.BINARY), true),
              column("day", ColumnType.of(Kind.DATE), true),
              column("at", ColumnType.of(Kind.TIMESTAMPTZ), true),
              column("tags", ColumnType.listOf(ColumnType.of(Kind.STRING)), true),
              column("scores", ColumnType.listOf(ColumnType.of(Kind.INT32)), false)));

  @TempDir Path dir;

  @Test
  void writesTheBytesParquetJavasOwnWriterWrites() throws Exception {
    // Enough rows, with a wide column, for several pages and at least two 32 MiB row groups.
    List<Object[]> rows = rows(100_000, new Random(7));

    Path ours = dir.resolve("ours.parquet");
    ShardFile file;
    try (ShardWriter writer = open(ours)) {
      for (Object[] row : rows) {
        writer.write(row);
      }
      file = writer.finish();
    }
    Path theirs = dir.resolve("theirs.parquet");
    writeWithParquetWriter(theirs, rows);

    assertEquals(rows.size(), file.rows());
    assertEquals(Files.size(ours), file.bytes());
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(ours))) {
      assertTrue(reader.getRowGroups().size() >= 2, "the rows span several row groups");
      assertEquals(rows.size(), reader.getRecordCount());
    }
    assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours));
  }

  @Test
  void refusesANullInANotNullColumn() throws Exception {
    try (ShardWriter writer = open(dir.resolve("null.parquet"))) {
      Object[] row = rows(1, new Random(1)).get(0);
      row[0] = null;
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> writer.write(row));
      assertEquals("column 'id' is declared NOT NULL but holds a NULL", e.getMessage());
    }
  }

  private ShardWriter open(Path path) throws IOException {
    return new ParquetShardWriter(
        new ShardOutput(new FileOutputStream(path.toFile())),
        "parquet/part-00000-of-00001.parquet",
        SCHEMA,
        CompressionCodecName.ZSTD);
  }

  /**
   * parquet-java's record path: example Groups shredded by its own record consumer, under no
   * object-model name (as the shard writer writes none).
   */
  private static void writeWithParquetWriter(Path path, List<Object[]> rows) throws IOException {
    MessageType schema = ParquetShardWriter.schemaOf(SCHEMA);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    ShardOutput out = new ShardOutput(new FileOutputStream(path.toFile()));
    try (ParquetWriter<Group> writer =
        new ReferenceBuilder(new ParquetShardWriter.StreamOutputFile(out), schema)
            .withCompressionCodec(CompressionCodecName.ZSTD)
            .withRowGroupSize(ParquetShardWriter.ROW_GROUP_BYTES)
            .withPageSize(ParquetShardWriter.PAGE_BYTES)
            .withDictionaryEncoding(true)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withConf(new Configuration(false))
            .build()) {
      for (Object[] row : rows) {
        Group group = groups.newGroup();
        for (int i = 0; i < row.length; i++) {
          if (row[i] != null) {
            add(group, i, SCHEMA.get(i).type(), row[i]);
          }
        }
        writer.write(group);
      }
    }
  }

  private static final class ReferenceBuilder
      extends ParquetWriter.Builder<Group, ReferenceBuilder> {
    private final MessageType schema;

    ReferenceBuilder(OutputFile file, MessageType schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected ReferenceBuilder self() {
      return this;
    }

    @Override
    protected WriteSupport<Group> getWriteSupport(Configuration conf) {
      return new WriteSupport<>() {
        private GroupWriter writer;

        @Override
        public WriteContext init(Configuration configuration) {
          return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public void prepareForWrite(RecordConsumer consumer) {
          writer = new GroupWriter(consumer, schema);
        }

        @Override
        public void write(Group record) {
          writer.write(record);
        }
      };
    }
  }

  private static void add(Group group, int field, ColumnType type, Object value) {
    switch (type.kind()) {
      case INT64:
      case TIMESTAMPTZ:
        group.add(field, (Long) value);
        break;
      case INT16:
      case INT32:
      case DATE:
        group.add(field, (Integer) value);
        break;
      case BOOL:
        group.add(field, (Boolean) value);
        break;
      case FLOAT32:
        group.add(field, (Float) value);
        break;
      case FLOAT64:
        group.add(field, (Double) value);
        break;
      case DECIMAL:
        if (!type.isBoundedDecimal()) {
          group.add(field, ((BigDecimal) value).toPlainString());
        } else if (type.precision() <= 9) {
          group.add(field, ((BigDecimal) value).unscaledValue().intValueExact());
        } else {
          group.add(field, ((BigDecimal) value).unscaledValue().longValueExact());
        }
        break;
      case STRING:
      case BINARY:
        group.add(field, Binary.fromConstantByteArray((byte[]) value));
        break;
      case LIST:
        Group list = group.addGroup(field);
        for (Object item : (List<?>) value) {
          Group element = list.addGroup("list");
          if (item != null) {
            add(element, 0, type.element(), item);
          }
        }
        break;
      default:
        throw new AssertionError(type);
    }
  }

  private static List<Object[]> rows(int count, Random random) {
    String[] labels = {"EGFR", "BRAF", "JAK2", "CDK4"};
    List<Object[]> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      boolean nulls = i % 13 == 0;
      // Incompressible, so that the row groups fill up (their size counts compressed pages).
      byte[] padding = new byte[400 + random.nextInt(100)];
      random.nextBytes(padding);
      rows.add(
          new Object[] {
            (long) i * 7919,
            nulls ? null : (int) (short) random.nextInt(),
            nulls ? null : random.nextBoolean(),
            nulls ? null : random.nextFloat(),
            nulls ? null : (double) random.nextInt(500) / 7,
            nulls ? null : BigDecimal.valueOf(random.nextInt(1_000_000), 2),
            BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000L, 4),
            nulls ? null : new BigDecimal(random.nextInt() + "." + random.nextInt(1000)),
            labels[random.nextInt(labels.length)].getBytes(StandardCharsets.UTF_8),
            nulls ? null : padding,
            nulls ? null : Arrays.copyOf(padding, 3),
            nulls ? null : 16_000 + random.nextInt(3000),
            nulls ? null : 1_600_000_000_000_000L + i * 13_000_000L,
            nulls ? null : tags(random),
            random.nextInt(5) == 0 ? List.of() : Arrays.asList(1, null, random.nextInt(10))
          });
    }
    return rows;
  }

  /** Lists with NULL elements, empty lists and one-element lists. */
  private static List<Object> tags(Random random) {
    List<Object> tags = new ArrayList<>();
    int size = random.nextInt(4);
    for (int i = 0; i < size; i++) {
      tags.add(random.nextInt(6) == 0 ? null : ("t" + random.nextInt(20)).getBytes());
    }
    return tags;
  }

  private static Column column(String name, ColumnType type, boolean nullable) {
    return new Column(name, type, nullable, "x", "q.\"" + name + "\"");
  }
}
