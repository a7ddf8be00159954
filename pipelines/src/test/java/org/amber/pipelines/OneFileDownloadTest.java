package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.amber.artifacts.download.OneFilePlan;
import org.amber.artifacts.download.Piece;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one file of each format, assembled from a real build's stored files exactly as {@link
 * OneFilePlan} says (no other copy exists), read back by independent readers: the merged Parquet by
 * DuckDB and by parquet-java, the CSV.gz and NDJSON.gz by Java's gzip and by the {@code gzip}
 * command. Each holds every row of every shard, in shard order, and hashes to the manifest's {@code
 * download.sha256}.
 */
class OneFileDownloadTest {
  @TempDir static Path out;
  @TempDir static Path assembled;
  static String url;

  @BeforeAll
  static void tables() throws Exception {
    url = TestPostgres.freshDatabase("onefile");
    TestPostgres.execute(
        url,
        "CREATE TABLE reading (id bigint PRIMARY KEY, name text, score double precision, day date)",
        "INSERT INTO reading SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'station ' || (g % 50) END,"
            + " g * 0.25, DATE '2020-01-01' + (g % 1000) FROM generate_series(1, 30000) g",
        "CREATE TABLE tiny (id bigint PRIMARY KEY, name text, score double precision, day date)",
        "INSERT INTO tiny VALUES (1, 'a', 1.5, '2024-02-29'), (2, NULL, NULL, NULL),"
            + " (1000, 'z', -2, '1999-12-31')");
  }

  @Test
  void manyShards() throws Exception {
    checkEveryFormat(build("reading", "readings", 4));
  }

  @Test
  void emptyShards() throws Exception {
    Path manifestPath = build("tiny", "tiny", 8);
    Manifest manifest = read(manifestPath);
    assertTrue(
        manifest.formats().get("parquet").files().stream().anyMatch(f -> f.rows() == 0),
        "the version has empty shards");
    checkEveryFormat(manifestPath);
  }

  @Test
  void oneShard() throws Exception {
    Path manifestPath = build("reading", "single", 1);
    assertEquals(1, read(manifestPath).formats().get("parquet").files().size());
    checkEveryFormat(manifestPath);
  }

  private static Path build(String table, String dataset, int partitions) {
    Amber.Result result =
        Amber.materialise(
            "--source",
            url,
            "--table",
            table,
            "--dataset",
            dataset,
            "--formats",
            "parquet,csv.gz,ndjson.gz",
            "--partitions",
            String.valueOf(partitions),
            "--output",
            out.toUri().toString());
    assertEquals(0, result.exitCode(), result.stderr());
    try {
      Path manifest = result.manifestPath();
      Amber.Result verify = Amber.run("verify", manifest.toUri().toString());
      assertEquals(0, verify.exitCode(), verify.stdout() + verify.stderr());
      return manifest;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void checkEveryFormat(Path manifestPath) throws Exception {
    Manifest manifest = read(manifestPath);
    List<String> expected = expectedRows(manifest);
    assertEquals(manifest.rowCount(), expected.size());

    Path parquet = assemble(manifestPath, manifest, ShardFormat.PARQUET);
    sameRows(expected, duckDbRows(parquet.toString()), "DuckDB reads the merged Parquet");
    sameRows(expected, parquetJavaRows(parquet), "parquet-java reads the merged Parquet");
    List<String> shardGlob = new ArrayList<>();
    for (ShardFile f : manifest.formats().get("parquet").files()) {
      shardGlob.add("'" + manifestPath.getParent().resolve(f.path()) + "'");
    }
    sameRows(
        duckDbRows("[" + String.join(",", shardGlob) + "]"),
        duckDbRows(parquet.toString()),
        "the merged file holds the shards' values, in shard order");

    Path csv = assemble(manifestPath, manifest, ShardFormat.CSV_GZ);
    String csvText = gunzip(csv);
    assertTrue(csvText.equals(gzipCommand(csv)), "gzip -dc reads the same text");
    String header = "id,name,score,day\n";
    StringBuilder shardRows = new StringBuilder(header);
    for (ShardFile f : manifest.formats().get("csv.gz").files()) {
      String text = gunzip(manifestPath.getParent().resolve(f.path()));
      assertTrue(text.startsWith(header), text);
      shardRows.append(text.substring(header.length()));
    }
    assertTrue(shardRows.toString().equals(csvText), "the header once, then every shard's rows");
    assertEquals(expected.size() + 1, csvText.lines().count());
    assertEquals(1, csvText.lines().filter(l -> l.equals(header.strip())).count());

    Path ndjson = assemble(manifestPath, manifest, ShardFormat.NDJSON_GZ);
    String ndjsonText = gunzip(ndjson);
    assertTrue(ndjsonText.equals(gzipCommand(ndjson)), "gzip -dc reads the same text");
    StringBuilder ndjsonShards = new StringBuilder();
    for (ShardFile f : manifest.formats().get("ndjson.gz").files()) {
      ndjsonShards.append(gunzip(manifestPath.getParent().resolve(f.path())));
    }
    assertTrue(ndjsonShards.toString().equals(ndjsonText), "every shard's lines");
    assertEquals(expected.size(), ndjsonText.lines().count());
  }

  /** Equal lists, reported by their first difference rather than in full. */
  private static void sameRows(List<String> expected, List<String> actual, String what) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), what + ": row " + i);
    }
    assertEquals(expected.size(), actual.size(), what + ": row count");
  }

  /** The rows as PostgreSQL has them, in shard order (the partition key, id). */
  private static List<String> expectedRows(Manifest manifest) throws Exception {
    String table = manifest.dataset().equals("tiny") ? "tiny" : "reading";
    List<String> rows = new ArrayList<>();
    try (Connection pg = DriverManager.getConnection(url);
        Statement statement = pg.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT id, name, score, day::text AS day FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        double score = rs.getDouble("score");
        Double scoreOrNull = rs.wasNull() ? null : score;
        rows.add(row(rs.getLong("id"), rs.getString("name"), scoreOrNull, rs.getString("day")));
      }
    }
    return rows;
  }

  private static String row(long id, String name, Double score, String day) {
    return id + "|" + name + "|" + score + "|" + day;
  }

  /** Rows in the order DuckDB reads them from the file(s): no ORDER BY. */
  private static List<String> duckDbRows(String files) throws Exception {
    String source = files.startsWith("[") ? files : "'" + files + "'";
    List<String> rows = new ArrayList<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement()) {
      statement.execute("SET threads = 1");
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT id, name, score, CAST(day AS VARCHAR) AS day FROM read_parquet("
                  + source
                  + ")")) {
        while (rs.next()) {
          long id = rs.getLong("id");
          String name = rs.getString("name");
          double score = rs.getDouble("score");
          Double scoreOrNull = rs.wasNull() ? null : score;
          rows.add(row(id, name, scoreOrNull, rs.getString("day")));
        }
      }
    }
    return rows;
  }

  /** Rows through parquet-java's own reader: footer, row groups, record assembly. */
  private static List<String> parquetJavaRows(Path file) throws Exception {
    List<String> rows = new ArrayList<>();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      long footerRows = reader.getRecordCount();
      for (PageReadStore group; (group = reader.readNextRowGroup()) != null; ) {
        RecordReader<Group> records =
            new ColumnIOFactory()
                .getColumnIO(schema)
                .getRecordReader(group, new GroupRecordConverter(schema));
        for (long i = 0; i < group.getRowCount(); i++) {
          Group g = records.read();
          rows.add(
              row(
                  g.getLong("id", 0),
                  g.getFieldRepetitionCount("name") == 0 ? null : g.getString("name", 0),
                  g.getFieldRepetitionCount("score") == 0 ? null : g.getDouble("score", 0),
                  g.getFieldRepetitionCount("day") == 0
                      ? null
                      : LocalDate.ofEpochDay(g.getInteger("day", 0)).toString()));
        }
      }
      assertEquals(footerRows, rows.size());
    }
    return rows;
  }

  /**
   * Concatenates the plan's pieces into a file; checks its length and SHA-256 against the
   * manifest's {@code download}.
   */
  static Path assemble(Path manifestPath, Manifest manifest, ShardFormat format) throws Exception {
    OneFilePlan plan = OneFilePlan.of(manifest, format).orElseThrow();
    assertNotNull(manifest.formats().get(format.key()).download(), format.key());
    Path file = assembled.resolve(manifest.dataset() + "-" + plan.fileName());
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    try (OutputStream target = Files.newOutputStream(file)) {
      for (Piece piece : plan.pieces()) {
        byte[] bytes = new byte[(int) piece.length()];
        try (RandomAccessFile source =
            new RandomAccessFile(manifestPath.getParent().resolve(piece.path()).toFile(), "r")) {
          source.seek(piece.offset());
          source.readFully(bytes);
        }
        target.write(bytes);
        sha256.update(bytes);
      }
    }
    var download = manifest.formats().get(format.key()).download();
    assertEquals(download.bytes(), Files.size(file), format.key() + " length");
    assertEquals(download.bytes(), plan.length(), format.key() + " plan length");
    assertEquals(
        download.sha256(), HexFormat.of().formatHex(sha256.digest()), format.key() + " sha256");
    return file;
  }

  private static String gunzip(Path file) throws Exception {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String gzipCommand(Path file) throws Exception {
    Process gzip = new ProcessBuilder("gzip", "-dc", file.toString()).start();
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    gzip.getInputStream().transferTo(text);
    String errors = new String(gzip.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(gzip.waitFor(60, TimeUnit.SECONDS), "gzip ends");
    assertEquals(0, gzip.exitValue(), errors);
    return text.toString(StandardCharsets.UTF_8);
  }

  static Manifest read(Path manifestPath) throws Exception {
    return ManifestJson.readManifest(Files.readAllBytes(manifestPath));
  }

  @Test
  void theMergedFooterLeavesOutPageIndexesButKeepsEveryRowGroup() throws Exception {
    Path manifestPath = build("reading", "footer", 3);
    Manifest manifest = read(manifestPath);
    Path parquet = assemble(manifestPath, manifest, ShardFormat.PARQUET);
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(parquet))) {
      int shardGroups = 0;
      for (ShardFile f : manifest.formats().get("parquet").files()) {
        try (ParquetFileReader shard =
            ParquetFileReader.open(
                new LocalInputFile(manifestPath.getParent().resolve(f.path())))) {
          shardGroups += shard.getRowGroups().size();
          assertNotNull(
              shard.getRowGroups().get(0).getColumns().get(0).getColumnIndexReference(),
              "the shards have page indexes");
        }
      }
      assertEquals(shardGroups, reader.getRowGroups().size());
      reader
          .getRowGroups()
          .forEach(
              g ->
                  g.getColumns()
                      .forEach(
                          c -> {
                            assertEquals(null, c.getColumnIndexReference());
                            assertEquals(null, c.getOffsetIndexReference());
                          }));
      assertArrayEquals(
          Files.readAllBytes(manifestPath.getParent().resolve("parquet/merged-footer.bin")),
          java.util.Arrays.copyOfRange(
              Files.readAllBytes(parquet),
              (int)
                  (Files.size(parquet)
                      - manifest.formats().get("parquet").download().footer().bytes()),
              (int) Files.size(parquet)));
    }
  }
}
