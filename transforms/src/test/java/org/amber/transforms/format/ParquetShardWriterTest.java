package org.amber.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.ColumnType.Kind;
import org.amber.transforms.schema.SourceSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.DictionaryPageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.GroupWriter;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shard writer encodes its pages itself: its files must hold, for every type, NULLs, empty
 * lists, NULL elements, NaN and negative zero, exactly what parquet-java's own {@link
 * ParquetWriter} stores for the same rows (read back by parquet-java's reader, with the same column
 * statistics), in several pages and row groups with the column and offset indexes readers skip
 * pages with, dictionary-encoded where a dictionary pays and PLAIN where it does not.
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
              column("huge", ColumnType.decimal(30, 3), true),
              column("label", ColumnType.of(Kind.STRING), false),
              column("padding", ColumnType.of(Kind.BINARY), true),
              column("blob", ColumnType.of(Kind.BINARY), true),
              column("key", ColumnType.of(Kind.UUID), true),
              column("day", ColumnType.of(Kind.DATE), true),
              column("at", ColumnType.of(Kind.TIMESTAMPTZ), true),
              column("tags", ColumnType.listOf(ColumnType.of(Kind.STRING)), true),
              column("scores", ColumnType.listOf(ColumnType.of(Kind.INT32)), false)));

  private static final Set<String> FLOATING = Set.of("ratio", "value");

  @TempDir Path dir;

  @Test
  void storesWhatParquetJavasOwnWriterStores() throws Exception {
    // Enough rows, with a wide column, for several pages and at least two 32 MiB row groups.
    List<Object[]> rows = rows(100_000, new Random(7));

    Path ours = dir.resolve("ours.parquet");
    ShardFile file = write(ours, SCHEMA, rows);
    Path theirs = dir.resolve("theirs.parquet");
    writeWithParquetWriter(theirs, SCHEMA, rows);

    assertEquals(rows.size(), file.rows());
    assertEquals(Files.size(ours), file.bytes());
    assertEquals(records(theirs), records(ours));
    assertEquals(statistics(theirs), statistics(ours));
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(ours))) {
      List<BlockMetaData> groups = reader.getRowGroups();
      assertTrue(groups.size() >= 2, "the rows span several row groups");
      assertEquals(rows.size(), reader.getRecordCount());
      for (BlockMetaData group : groups) {
        for (ColumnChunkMetaData chunk : group.getColumns()) {
          // Every chunk is indexed page by page, its pages starting at row boundaries.
          OffsetIndex pages = reader.readOffsetIndex(chunk);
          assertTrue(pages.getPageCount() > 1, chunk.getPath() + " has several pages");
          assertEquals(0, pages.getFirstRowIndex(0));
          assertEquals(
              group.getRowCount() - 1,
              pages.getLastRowIndex(pages.getPageCount() - 1, group.getRowCount()));
          // parquet-java's page store writes no column index for a chunk holding a NaN, which has
          // no place in a min/max order: the float columns, which hold some in every row group.
          ColumnIndex index = reader.readColumnIndex(chunk);
          if (FLOATING.contains(chunk.getPath().toDotString())) {
            assertNull(index);
          } else {
            assertEquals(pages.getPageCount(), index.getNullCounts().size());
          }
        }
        // A dictionary where it pays (few distinct labels), PLAIN where it does not (unique ids,
        // random bytes), PLAIN for booleans, which have none.
        assertEquals(Set.of(Encoding.PLAIN_DICTIONARY), valueEncodings(group, "label"));
        assertEquals(Set.of(Encoding.PLAIN), valueEncodings(group, "id"));
        assertEquals(Set.of(Encoding.PLAIN), valueEncodings(group, "padding"));
        assertEquals(Set.of(Encoding.PLAIN), valueEncodings(group, "flag"));
      }
    }
  }

  @Test
  void writesPagesThatHoldOnlyNulls() throws Exception {
    // A column NULL for its first pages, then dictionary-encoded; another the other way round.
    SourceSchema schema =
        new SourceSchema(
            List.of(
                column("id", ColumnType.of(Kind.INT64), false),
                column("note", ColumnType.of(Kind.STRING), true),
                column("amount", ColumnType.of(Kind.FLOAT64), true)));
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 3 * ParquetShardWriter.PAGE_ROWS; i++) {
      boolean early = i < 3 * ParquetShardWriter.PAGE_ROWS / 2;
      rows.add(
          new Object[] {
            (long) i,
            early ? null : ("note " + i % 5).getBytes(StandardCharsets.UTF_8),
            early ? i % 7 / 2.0 : null
          });
    }
    Path ours = dir.resolve("nulls.parquet");
    write(ours, schema, rows);
    Path theirs = dir.resolve("nulls-theirs.parquet");
    writeWithParquetWriter(theirs, schema, rows);

    assertEquals(records(theirs), records(ours));
    assertEquals(statistics(theirs), statistics(ours));
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(ours))) {
      // The pages of nulls have no values to encode; the later ones use the dictionary.
      BlockMetaData group = reader.getRowGroups().get(0);
      assertTrue(valueEncodings(group, "note").contains(Encoding.PLAIN_DICTIONARY));
      assertTrue(valueEncodings(group, "amount").contains(Encoding.PLAIN_DICTIONARY));
    }
  }

  @Test
  void fallsBackToPlainWhenTheDictionaryOutgrowsItsLimit() throws Exception {
    SourceSchema schema =
        new SourceSchema(List.of(column("name", ColumnType.of(Kind.STRING), false)));
    List<Object[]> rows = new ArrayList<>();
    // One page of ten names (the dictionary pays), then 2 MiB of names all different.
    for (int i = 0; i < ParquetShardWriter.PAGE_ROWS; i++) {
      rows.add(new Object[] {("name " + i % 10).getBytes(StandardCharsets.UTF_8)});
    }
    for (int i = 0; i < 20_000; i++) {
      rows.add(new Object[] {String.format("%0100d", i).getBytes(StandardCharsets.UTF_8)});
    }
    Path path = dir.resolve("fallback.parquet");
    write(path, schema, rows);

    List<String> expected = new ArrayList<>();
    for (Object[] row : rows) {
      expected.add("name: " + new String((byte[]) row[0], StandardCharsets.UTF_8) + "\n");
    }
    assertEquals(expected, records(path));
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(path))) {
      BlockMetaData group = reader.getRowGroups().get(0);
      assertEquals(
          Set.of(Encoding.PLAIN_DICTIONARY, Encoding.PLAIN), valueEncodings(group, "name"));
      // The dictionary keeps the entries of the pages that use it: the ten names.
      DictionaryPageReadStore dictionaries = reader.getDictionaryReader(group);
      DictionaryPage dictionary =
          dictionaries.readDictionaryPage(reader.getFileMetaData().getSchema().getColumns().get(0));
      assertEquals(10, dictionary.getDictionarySize());
    }
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
    return open(path, SCHEMA);
  }

  private static ShardWriter open(Path path, SourceSchema schema) throws IOException {
    return new ParquetShardWriter(
        new ShardOutput(new FileOutputStream(path.toFile())),
        "parquet/part-00000-of-00001.parquet",
        schema,
        CompressionCodecName.ZSTD);
  }

  private static ShardFile write(Path path, SourceSchema schema, List<Object[]> rows)
      throws IOException {
    try (ShardWriter writer = open(path, schema)) {
      for (Object[] row : rows) {
        writer.write(row);
      }
      return writer.finish();
    }
  }

  /** Every record as parquet-java's reader gives it back, printed. */
  private static List<String> records(Path path) throws IOException {
    List<String> records = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(path.toUri()))
            .withConf(new Configuration(false))
            .build()) {
      for (Group record = reader.read(); record != null; record = reader.read()) {
        records.add(record.toString());
      }
    }
    return records;
  }

  /** Each column's statistics over the whole file: its chunks' merged. */
  private static Map<String, String> statistics(Path path) throws IOException {
    Map<String, Statistics<?>> merged = new TreeMap<>();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(path))) {
      for (BlockMetaData group : reader.getRowGroups()) {
        for (ColumnChunkMetaData chunk : group.getColumns()) {
          merged.merge(
              chunk.getPath().toDotString(),
              chunk.getStatistics().copy(),
              (a, b) -> {
                a.mergeStatistics(b);
                return a;
              });
        }
      }
    }
    Map<String, String> printed = new TreeMap<>();
    merged.forEach((column, statistics) -> printed.put(column, statistics.toString()));
    return printed;
  }

  /** The encodings of a column chunk's data pages' values. */
  private static Set<Encoding> valueEncodings(BlockMetaData group, String column) {
    for (ColumnChunkMetaData chunk : group.getColumns()) {
      if (chunk.getPath().toDotString().equals(column)) {
        Set<Encoding> encodings = new HashSet<>();
        chunk.getEncodingStats().getDataEncodings().forEach(encodings::add);
        return encodings;
      }
    }
    throw new AssertionError("no column " + column);
  }

  /**
   * parquet-java's record path: example Groups shredded by its own record consumer, under no
   * object-model name (as the shard writer writes none).
   */
  private static void writeWithParquetWriter(Path path, SourceSchema source, List<Object[]> rows)
      throws IOException {
    MessageType schema = ParquetShardWriter.schemaOf(source);
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
            add(group, i, source.get(i).type(), row[i]);
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
        } else if (type.precision() <= 18) {
          group.add(field, ((BigDecimal) value).unscaledValue().longValueExact());
        } else {
          byte[] unscaled = ((BigDecimal) value).unscaledValue().toByteArray();
          byte[] fixed = new byte[ParquetShardWriter.decimalBytes(type.precision())];
          Arrays.fill(fixed, (byte) (unscaled[0] < 0 ? 0xff : 0));
          System.arraycopy(unscaled, 0, fixed, fixed.length - unscaled.length, unscaled.length);
          group.add(field, Binary.fromConstantByteArray(fixed));
        }
        break;
      case STRING:
      case BINARY:
      case UUID:
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
            nulls ? null : i % 97 == 1 ? Float.NaN : i % 89 == 1 ? -0.0f : random.nextFloat(),
            nulls
                ? null
                : i % 83 == 1 ? Double.NaN : i % 79 == 1 ? -0.0 : random.nextInt(500) / 7.0,
            nulls ? null : BigDecimal.valueOf(random.nextInt(1_000_000), 2),
            BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000L, 4),
            nulls ? null : new BigDecimal(random.nextInt() + "." + random.nextInt(1000)),
            nulls ? null : new BigDecimal(random.nextLong() + "" + random.nextInt(1000) + ".125"),
            labels[random.nextInt(labels.length)].getBytes(StandardCharsets.UTF_8),
            nulls ? null : padding,
            nulls ? null : Arrays.copyOf(padding, 3),
            nulls ? null : Arrays.copyOf(padding, 16),
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
