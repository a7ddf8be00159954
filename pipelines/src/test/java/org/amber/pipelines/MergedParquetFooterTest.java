package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.amber.artifacts.download.OneFilePlan;
import org.amber.artifacts.download.Piece;
import org.amber.artifacts.manifest.OneFile;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.download.StoredOneFile;
import org.amber.transforms.format.FormatOptions;
import org.amber.transforms.format.ShardOutput;
import org.amber.transforms.format.ShardWriter;
import org.amber.transforms.format.ShardWriters;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.SourceSchema;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link org.amber.transforms.download.MergedParquetFooter} on shards written by the real Parquet
 * writer, joined as {@link OneFilePlan} says and read back by parquet-java: a shard of several row
 * groups (so offsets move within a shard, not only between shards), an empty shard, and shards that
 * cannot be joined. It lives here because parquet-java's reader needs Hadoop classes that only this
 * module has.
 */
class MergedParquetFooterTest {
  private static final SourceSchema SCHEMA =
      new SourceSchema(
          List.of(
              new Column("id", ColumnType.of(ColumnType.Kind.INT64), false, "int8", "id"),
              new Column("name", ColumnType.of(ColumnType.Kind.STRING), true, "text", "name")));

  /** Random longs do not compress: enough of them fill more than one 32 MiB row group. */
  private static final int BIG = 4_600_000;

  @TempDir Path dir;

  @Test
  void everyShardsRowGroupsReadBackInOrder() throws Exception {
    int[] sizes = {3, 0, BIG, 10};
    List<ShardFile> shards = new ArrayList<>();
    long seed = 0;
    for (int i = 0; i < sizes.length; i++) {
      shards.add(write(i, sizes.length, SCHEMA, sizes[i], seed));
      seed += sizes[i];
    }
    assertEquals(shards.get(1).bytes() - 4, shards.get(1).footerBytes(), "empty: tail from 4");
    int bigGroups = rowGroups(dir.resolve(shards.get(2).path())).size();
    assertTrue(bigGroups >= 2, "the big shard has " + bigGroups + " row groups");

    byte[] merged = StoredOneFile.mergedFooter(dir.toUri().toString(), shards);
    Files.write(dir.resolve(OneFile.FooterFile.PATH), merged);
    OneFile.FooterFile footer =
        new OneFile.FooterFile(OneFile.FooterFile.PATH, merged.length, sha256(merged));
    List<Piece> pieces = OneFilePlan.piecesOf(ShardFormat.PARQUET, shards, footer).orElseThrow();
    Path one = assemble(pieces);
    StoredOneFile.Digest digest = StoredOneFile.digest(dir.toUri().toString(), pieces);
    assertEquals(Files.size(one), digest.bytes());
    assertEquals(sha256(Files.readAllBytes(one)), digest.sha256());

    assertEquals(1 + bigGroups + 1, rowGroups(one).size(), "every shard's row groups");
    long row = 0;
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(one))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      for (PageReadStore group; (group = reader.readNextRowGroup()) != null; ) {
        RecordReader<Group> records =
            new ColumnIOFactory()
                .getColumnIO(schema)
                .getRecordReader(group, new GroupRecordConverter(schema));
        for (long i = 0; i < group.getRowCount(); i++, row++) {
          Group g = records.read();
          Object[] want = rowOf(row);
          assertEquals(want[0], g.getLong("id", 0), "row " + row);
          String name = g.getFieldRepetitionCount("name") == 0 ? null : g.getString("name", 0);
          assertEquals(want[1] == null ? null : new String((byte[]) want[1]), name, "row " + row);
        }
      }
    }
    assertEquals(3 + BIG + 10, row);
  }

  @Test
  void shardsWithAnotherSchemaAreRefused() throws Exception {
    SourceSchema other =
        new SourceSchema(
            List.of(new Column("id", ColumnType.of(ColumnType.Kind.INT64), false, "int8", "id")));
    List<ShardFile> shards = List.of(write(0, 2, SCHEMA, 5, 0), write(1, 2, other, 5, 5));
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () -> StoredOneFile.mergedFooter(dir.toUri().toString(), shards));
    assertTrue(
        refused.getMessage().contains("parquet shard 1 has another schema"), refused.getMessage());
  }

  @Test
  void aFooterBytesThatMissesTheRowGroupsIsRefused() throws Exception {
    ShardFile shard = write(0, 1, SCHEMA, 20, 0);
    ShardFile wrong =
        new ShardFile(
            shard.path(),
            shard.rows(),
            shard.bytes(),
            shard.sha256(),
            null,
            shard.footerBytes() - 1);
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () -> StoredOneFile.mergedFooter(dir.toUri().toString(), List.of(wrong)));
    assertTrue(refused.getMessage().contains("row groups end at"), refused.getMessage());
  }

  /** Row {@code n} of the whole sequence: a random id and, mostly, one of a few names. */
  private static Object[] rowOf(long n) {
    Random random = new Random(n);
    long id = random.nextLong();
    int name = random.nextInt(40);
    return new Object[] {id, name == 0 ? null : ("name " + name).getBytes()};
  }

  private ShardFile write(int index, int of, SourceSchema schema, int rows, long first)
      throws Exception {
    String path = String.format("parquet/part-%05d-of-%05d.parquet", index, of);
    Files.createDirectories(dir.resolve("parquet"));
    try (OutputStream file = Files.newOutputStream(dir.resolve(path));
        ShardWriter writer =
            ShardWriters.open(
                ShardFormat.PARQUET, new ShardOutput(file), path, schema, FormatOptions.DEFAULT)) {
      for (long n = first; n < first + rows; n++) {
        Object[] row = rowOf(n);
        writer.write(schema.size() == 2 ? row : new Object[] {row[0]});
      }
      return writer.finish();
    }
  }

  private Path assemble(List<Piece> pieces) throws Exception {
    Path one = dir.resolve("one.parquet");
    try (OutputStream out = Files.newOutputStream(one)) {
      for (Piece piece : pieces) {
        try (RandomAccessFile in = new RandomAccessFile(dir.resolve(piece.path()).toFile(), "r")) {
          byte[] bytes = new byte[(int) piece.length()];
          in.seek(piece.offset());
          in.readFully(bytes);
          out.write(bytes);
        }
      }
    }
    return one;
  }

  private static List<?> rowGroups(Path file) throws Exception {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      return reader.getRowGroups();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
