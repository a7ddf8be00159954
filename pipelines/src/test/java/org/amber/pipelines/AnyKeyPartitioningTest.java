package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any table in parallel: uuid and text keys split at quantiles read in the snapshot, and a table
 * without a key split by physical ranges of ctid. Each large table gives the requested shards, none
 * more than twice its share, and every row exactly once.
 */
class AnyKeyPartitioningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROWS = 400_000;

  @TempDir Path out;
  static String url;

  @BeforeAll
  static void tables() throws Exception {
    url = TestPostgres.freshDatabase("anykey");
    TestPostgres.execute(
        url,
        "CREATE TABLE by_uuid (id uuid PRIMARY KEY, n int NOT NULL)",
        "INSERT INTO by_uuid SELECT md5(g::text)::uuid, g FROM generate_series(1, " + ROWS + ") g",
        // Mixed case, so byte order and a linguistic order disagree; 1% NULL keys.
        "CREATE TABLE by_text (code text, n int NOT NULL)",
        "INSERT INTO by_text SELECT CASE WHEN g % 100 = 0 THEN NULL WHEN g % 2 = 0"
            + " THEN upper(md5(g::text)) ELSE md5(g::text) END, g FROM generate_series(1, "
            + ROWS
            + ") g",
        "CREATE TABLE keyless (n int NOT NULL, payload text NOT NULL)",
        "INSERT INTO keyless SELECT g, repeat('x', g % 40) FROM generate_series(1, " + ROWS + ") g",
        // One value holds 20% of the rows: more than a share of 8 shards, less than two.
        "CREATE TABLE warm (code varchar(40) NOT NULL, n int NOT NULL)",
        "INSERT INTO warm SELECT CASE WHEN g % 5 = 0 THEN 'hot' ELSE 'k' || g END, g"
            + " FROM generate_series(1, 100000) g",
        // One value holds 60% of the rows: no range can split it.
        "CREATE TABLE hot (code text NOT NULL, n int NOT NULL)",
        "INSERT INTO hot SELECT CASE WHEN g % 5 < 3 THEN 'm-hot' ELSE 'k' || g END, g"
            + " FROM generate_series(1, 100000) g",
        "ANALYZE");
  }

  private Amber.Result build(String dataset, String... args) {
    return build(url, out, dataset, args);
  }

  private static Amber.Result build(String source, Path out, String dataset, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--source",
                source,
                "--dataset",
                dataset,
                "--output",
                out.toUri().toString(),
                "--formats",
                "parquet"));
    all.addAll(List.of(args));
    Amber.Result result = Amber.materialise(all.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result.stderr());
    return result;
  }

  private static List<Long> shardRows(Amber.Result result) throws Exception {
    JsonNode manifest = JSON.readTree(Files.readAllBytes(result.manifestPath()));
    List<Long> rows = new ArrayList<>();
    manifest
        .get("formats")
        .get("parquet")
        .get("files")
        .forEach(f -> rows.add(f.get("rows").asLong()));
    return rows;
  }

  static JsonNode buildRecord(Path out, String dataset) throws Exception {
    try (Stream<Path> records = Files.list(out.resolve(dataset).resolve("builds"))) {
      List<Path> all = records.filter(p -> p.toString().endsWith(".json")).toList();
      assertEquals(1, all.size(), "one build record: " + all);
      return JSON.readTree(Files.readAllBytes(all.get(0)));
    }
  }

  /** Every shard at most twice an equal share of the rows. */
  private static void assertBalanced(List<Long> rows, long total) {
    long share = total / rows.size();
    for (long shard : rows) {
      assertTrue(shard <= 2 * share, "a shard holds more than twice its share: " + rows);
    }
  }

  /** The one number a DuckDB query returns. */
  private static long single(String sql) throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String parquet(Amber.Result result) throws Exception {
    return "read_parquet('"
        + result.manifestPath().getParent().resolve("parquet")
        + "/*.parquet', filename = true)";
  }

  /**
   * Rows out of order: within a shard (by the order the file holds them) or across shards (a
   * shard's first key below the previous shard's last). DuckDB compares strings byte-wise, as
   * {@code COLLATE "C"} does.
   */
  private static long outOfOrder(Amber.Result result, String key) throws Exception {
    String rows =
        "SELECT "
            + key
            + " AS k, filename AS f, file_row_number AS r FROM read_parquet('"
            + result.manifestPath().getParent().resolve("parquet")
            + "/*.parquet', filename = true, file_row_number = true)";
    return single(
        "WITH t AS ("
            + rows
            + "), s AS (SELECT k, lag(k) OVER (ORDER BY f, r) AS prev FROM t WHERE k IS NOT NULL)"
            + " SELECT count(*) FROM s WHERE prev IS NOT NULL AND k < prev");
  }

  @Test
  void aUuidPrimaryKeyIsSplitAtItsQuantiles() throws Exception {
    Amber.Result result = build("uuids", "--table", "by_uuid", "--partitions", "8");
    List<Long> rows = shardRows(result);
    assertEquals(8, rows.size());
    assertEquals(ROWS, rows.stream().mapToLong(Long::longValue).sum());
    assertBalanced(rows, ROWS);
    assertEquals(ROWS, single("SELECT count(DISTINCT n) FROM " + parquet(result)));
    assertEquals(0, outOfOrder(result, "id::varchar"), "shards in key order");
    JsonNode record = buildRecord(out, "uuids");
    assertEquals("quantiles", record.at("/partitioning/strategy").asText());
    assertEquals("id", record.at("/partitioning/column").asText());
  }

  @Test
  void aTextKeyIsSplitByteWiseWithItsNullKeysInTheirOwnShard() throws Exception {
    Amber.Result result =
        build("texts", "--table", "by_text", "--partition-column", "code", "--partitions", "8");
    List<Long> rows = shardRows(result);
    assertEquals(8, rows.size());
    assertEquals(ROWS, rows.stream().mapToLong(Long::longValue).sum());
    assertEquals(ROWS / 100, rows.get(7), "the last shard holds exactly the NULL keys");
    assertBalanced(rows.subList(0, 7), ROWS - ROWS / 100);
    assertEquals(ROWS, single("SELECT count(DISTINCT n) FROM " + parquet(result)));
    assertEquals(0, outOfOrder(result, "code"), "shards and their rows in byte order");
    JsonNode record = buildRecord(out, "texts");
    assertEquals("quantiles", record.at("/partitioning/strategy").asText());
    assertTrue(
        record.at("/partition_plan/1/predicate").asText().contains("COLLATE \"C\""),
        record.toString());
  }

  @Test
  void aTableWithoutAKeyIsSplitByPhysicalRanges() throws Exception {
    Amber.Result result = build("keyless", "--table", "keyless", "--partitions", "8");
    List<Long> rows = shardRows(result);
    assertEquals(8, rows.size());
    assertEquals(ROWS, rows.stream().mapToLong(Long::longValue).sum());
    assertBalanced(rows, ROWS);
    assertEquals(ROWS, single("SELECT count(DISTINCT n) FROM " + parquet(result)));
    assertEquals(
        column(url, "SELECT n FROM keyless ORDER BY ctid"),
        column(
            "jdbc:duckdb:",
            "SELECT n FROM read_parquet('"
                + result.manifestPath().getParent().resolve("parquet")
                + "/*.parquet', filename = true, file_row_number = true)"
                + " ORDER BY filename, file_row_number"),
        "the shards, one after another, hold the rows in physical order");
    JsonNode record = buildRecord(out, "keyless");
    assertEquals("ctid", record.at("/partitioning/strategy").asText());
    assertTrue(record.at("/partitioning/column").isMissingNode(), record.toString());
    assertTrue(
        record.at("/partition_plan/0/predicate").asText().startsWith("q.ctid < '("),
        record.toString());
    JsonNode manifest = JSON.readTree(Files.readAllBytes(result.manifestPath()));
    assertTrue(manifest.at("/partitioning/column").isNull(), manifest.toString());
    assertEquals(8, manifest.at("/partitioning/shards").asInt());
  }

  @Test
  void aValueHoldingMoreThanAShareButLessThanTwoStillGivesBalancedShards() throws Exception {
    Amber.Result result =
        build("warm", "--table", "warm", "--partition-column", "code", "--partitions", "8");
    List<Long> rows = shardRows(result);
    assertEquals(8, rows.size());
    assertEquals(100_000, rows.stream().mapToLong(Long::longValue).sum());
    assertBalanced(rows, 100_000);
    assertEquals(100_000, single("SELECT count(DISTINCT n) FROM " + parquet(result)));
    assertEquals(
        1,
        single("SELECT count(DISTINCT filename) FROM " + parquet(result) + " WHERE code = 'hot'"),
        "one value is never split between shards");
  }

  @Test
  void aValueHoldingMostRowsTakesOneShardAndTheOthersShareTheRest() throws Exception {
    Amber.Result result =
        build("hot", "--table", "hot", "--partition-column", "code", "--partitions", "4");
    List<Long> rows = shardRows(result);
    assertEquals(4, rows.size());
    assertEquals(100_000, rows.stream().mapToLong(Long::longValue).sum());
    assertTrue(rows.contains(60_000L), "the hot value alone in one shard: " + rows);
    for (long shard : rows) {
      if (shard != 60_000L) {
        assertTrue(shard > 0 && shard <= 2 * (40_000 / 3), "the rest shared out: " + rows);
      }
    }
    assertEquals(0, outOfOrder(result, "code"));
  }

  /** A build with plain progress, and what it printed on the process's stderr. */
  private record Said(Amber.Result result, String stderr) {}

  private Said buildSaying(String dataset, String... what) {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream original = System.err;
    List<String> args =
        new ArrayList<>(
            List.of(
                "materialise",
                "--progress",
                "plain",
                "--source",
                url,
                "--dataset",
                dataset,
                "--output",
                out.toUri().toString(),
                "--formats",
                "parquet",
                "--partitions",
                "4"));
    args.addAll(List.of(what));
    Amber.Result result;
    // The progress lines go to the process's stderr, not the command's writer.
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      result = Amber.run(args.toArray(String[]::new));
    } finally {
      System.setErr(original);
    }
    assertEquals(0, result.exitCode(), result.stderr());
    return new Said(result, stderr.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aQueryWithoutAPartitionColumnIsOnePartitionAndSaysSo() throws Exception {
    Said said = buildSaying("keyless-query", "--query", "SELECT n FROM keyless WHERE n <= 1000");
    assertEquals(List.of(1000L), shardRows(said.result()));
    assertTrue(said.stderr().contains("amber: a query is read as one partition"), said.stderr());
    JsonNode record = buildRecord(out, "keyless-query");
    assertEquals("single", record.at("/partitioning/strategy").asText());
    assertTrue(record.at("/partitioning/note").asText().contains("--partition-column"));
  }

  @Test
  void aViewWithoutAKeyIsOnePartitionAndSaysSo() throws Exception {
    TestPostgres.execute(
        url, "CREATE OR REPLACE VIEW early AS SELECT n, payload FROM keyless WHERE n <= 2000");
    Said said = buildSaying("keyless-view", "--table", "early");
    assertEquals(List.of(2000L), shardRows(said.result()));
    assertTrue(
        said.stderr().contains("it is not a plain table (relkind 'v')")
            && said.stderr().contains("it is read as one partition"),
        said.stderr());
    JsonNode record = buildRecord(out, "keyless-view");
    assertEquals("single", record.at("/partitioning/strategy").asText());
    assertTrue(record.at("/partitioning/note").asText().contains("relkind 'v'"), record.toString());
  }

  @Test
  void textBoundsAreTheSameWhateverTheDatabaseCollation() throws Exception {
    String linguistic = TestPostgres.freshDatabase("anykey_icu");
    String name = linguistic.replaceAll(".*/([^/?]+).*", "$1");
    String bytewise = TestPostgres.freshDatabase("anykey_c");
    String bytewiseName = bytewise.replaceAll(".*/([^/?]+).*", "$1");
    TestPostgres.execute(
        TestPostgres.withDatabase(linguistic, "postgres"),
        "DROP DATABASE " + name,
        "CREATE DATABASE "
            + name
            + " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'",
        "DROP DATABASE " + bytewiseName,
        "CREATE DATABASE " + bytewiseName + " TEMPLATE template0 LOCALE_PROVIDER libc LOCALE 'C'");
    String[] data = {
      "CREATE TABLE word (w text PRIMARY KEY, n int NOT NULL)",
      "INSERT INTO word SELECT CASE g % 3 WHEN 0 THEN upper(md5(g::text)) WHEN 1 THEN md5(g::text)"
          + " ELSE 'é' || md5(g::text) END, g FROM generate_series(1, 30000) g",
    };
    TestPostgres.execute(linguistic, data);
    TestPostgres.execute(bytewise, data);
    assertNotEquals(
        firstWord(linguistic), firstWord(bytewise), "the two databases sort text differently");

    Amber.Result a =
        build(linguistic, out.resolve("a"), "words", "--table", "word", "--partitions", "6");
    Amber.Result b =
        build(bytewise, out.resolve("b"), "words", "--table", "word", "--partitions", "6");
    JsonNode planA = buildRecord(out.resolve("a"), "words").get("partition_plan");
    JsonNode planB = buildRecord(out.resolve("b"), "words").get("partition_plan");
    assertEquals(6, planA.size());
    assertEquals(planA, planB, "the same bounds on both databases");
    assertEquals(a.summary().get("content_digest"), b.summary().get("content_digest"));
    assertBalanced(shardRows(a), 30_000);
  }

  private static List<Long> column(String jdbcUrl, String sql) throws Exception {
    List<Long> values = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getLong(1));
      }
    }
    return values;
  }

  private static String firstWord(String database) throws Exception {
    try (Connection c = DriverManager.getConnection(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT min(w) FROM (VALUES ('a'), ('B')) v(w)")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
