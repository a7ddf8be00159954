package org.amber.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.ColumnType.Kind;
import org.amber.transforms.schema.SourceSchema;
import org.junit.jupiter.api.Test;

class CsvShardWriterTest {
  private static final SourceSchema SCHEMA =
      new SourceSchema(
          List.of(
              column("id", ColumnType.of(Kind.INT64)),
              column("target", ColumnType.of(Kind.STRING)),
              column("pchembl", ColumnType.decimal(4, 2)),
              column("recorded_at", ColumnType.of(Kind.TIMESTAMP)),
              column("notes", ColumnType.of(Kind.STRING))));

  private static Column column(String name, ColumnType type) {
    return new Column(name, type, true, type.name(), name);
  }

  private record Shard(byte[] bytes, ShardFile file) {}

  /** Enough rows that the rows span several of the writer's buffer flushes. */
  private static Shard write(FormatOptions options, int rows) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ShardFile file;
    try (ShardWriter writer =
        ShardWriters.open(
            ShardFormat.CSV_GZ, new ShardOutput(bytes), "csv/0.csv.gz", SCHEMA, options)) {
      for (int i = 0; i < rows; i++) {
        writer.write(
            new Object[] {
              (long) i - 5,
              ("t" + i % 7).getBytes(StandardCharsets.UTF_8),
              i % 11 == 0 ? null : BigDecimal.valueOf(400 + i % 600, 2),
              1_420_070_400_000_000L + i * 13_000_000L,
              i % 3 == 0 ? null : (i % 3 == 1 ? "" : "say \"hi\", twice").getBytes()
            });
      }
      file = writer.finish();
    }
    return new Shard(bytes.toByteArray(), file);
  }

  private static String gunzip(byte[] gz) throws Exception {
    return new String(
        new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void headerMemberThenRowsWithNullEmptyAndQuotedFieldsApart() throws Exception {
    Shard shard = write(FormatOptions.DEFAULT, 20_000);
    byte[] header = Arrays.copyOf(shard.bytes(), Math.toIntExact(shard.file().headerBytes()));
    assertEquals("id,target,pchembl,recorded_at,notes\n", gunzip(header));
    String[] lines = gunzip(shard.bytes()).split("\n", -1);
    assertEquals(20_000 + 2, lines.length, "header, rows, nothing after the last \\n");
    assertEquals("-5,t0,,2015-01-01T00:00:00,", lines[1]);
    assertEquals("-4,t1,4.01,2015-01-01T00:00:13,\"\"", lines[2]);
    assertEquals("-3,t2,4.02,2015-01-01T00:00:26,\"say \"\"hi\"\", twice\"", lines[3]);
    assertEquals(20_000, shard.file().rows());
    assertEquals(shard.bytes().length, shard.file().bytes());
  }

  @Test
  void theGzipLevelChangesTheBytesButNotTheText() throws Exception {
    Shard fast = write(FormatOptions.DEFAULT, 20_000);
    Shard small = write(new FormatOptions("zstd", 9), 20_000);
    assertEquals(4, FormatOptions.DEFAULT.gzipLevel());
    assertEquals(gunzip(fast.bytes()), gunzip(small.bytes()));
    assertNotEquals(fast.file().sha256(), small.file().sha256());
    assertEquals(fast.file().sha256(), write(FormatOptions.DEFAULT, 20_000).file().sha256());
  }
}
