package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partition plans at the edges: NULL keys, no rows, one row, skewed keys, a query as input. */
class PartitioningTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path out;
  static String url;

  @BeforeAll
  static void tables() throws Exception {
    url = TestPostgres.freshDatabase("partitioning");
    TestPostgres.execute(
        url,
        "CREATE TABLE reading (id bigserial PRIMARY KEY, station int, value double precision)",
        "INSERT INTO reading (station, value) SELECT CASE WHEN g % 10 = 0 THEN NULL ELSE g % 500 END, g / 7.0"
            + " FROM generate_series(1, 5000) g",
        "CREATE TABLE nothing (id int PRIMARY KEY, label text)",
        "CREATE TABLE lonely (id int PRIMARY KEY, label text)",
        "INSERT INTO lonely VALUES (42, 'only')",
        // 90% of the rows on keys 1..1000, the rest spread up to a billion
        "CREATE TABLE skewed (id bigint PRIMARY KEY, payload text)",
        "INSERT INTO skewed SELECT g, 'dense' FROM generate_series(1, 9000) g",
        "INSERT INTO skewed SELECT 1000000 + g * 1000000, 'sparse' FROM generate_series(1, 1000) g",
        "CREATE TABLE station (id int PRIMARY KEY, name text)",
        "INSERT INTO station SELECT g, 'station ' || g FROM generate_series(0, 499) g",
        "ANALYZE");
  }

  private Amber.Result build(String dataset, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--source",
                url,
                "--dataset",
                dataset,
                "--output",
                out.toUri().toString(),
                "--formats",
                "parquet,csv.gz,ndjson.gz"));
    all.addAll(List.of(args));
    Amber.Result result = Amber.materialise(all.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result.stderr());
    return result;
  }

  private static JsonNode manifest(Amber.Result result) throws Exception {
    return JSON.readTree(Files.readAllBytes(result.manifestPath()));
  }

  private static List<Long> shardRows(JsonNode manifest, String format) {
    List<Long> rows = new ArrayList<>();
    manifest.get("formats").get(format).get("files").forEach(f -> rows.add(f.get("rows").asLong()));
    return rows;
  }

  private static long count(String glob, String where) throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT count(*) FROM read_parquet('" + glob + "') WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void rowsWithNullKeysAreReadIntoTheirOwnShard() throws Exception {
    Amber.Result result =
        build(
            "readings", "--table", "reading", "--partition-column", "station", "--partitions", "4");
    JsonNode manifest = manifest(result);
    assertEquals(5000, manifest.get("row_count").asLong());
    List<Long> rows = shardRows(manifest, "parquet");
    assertEquals(4, rows.size());
    assertEquals(500, rows.get(3), "the last shard holds exactly the NULL keys");
    String lastShard =
        result.manifestPath().getParent().resolve("parquet/part-00003-of-00004.parquet").toString();
    assertEquals(500, count(lastShard, "station IS NULL"));
    String all = result.manifestPath().getParent().resolve("parquet") + "/*.parquet";
    assertEquals(500, count(all, "station IS NULL"));
    assertEquals(shardRows(manifest, "parquet"), shardRows(manifest, "csv.gz"));
    assertEquals(shardRows(manifest, "parquet"), shardRows(manifest, "ndjson.gz"));
  }

  @Test
  void anEmptyResultGivesEveryShardAsAValidEmptyFile() throws Exception {
    Amber.Result result = build("nothing", "--table", "nothing", "--partitions", "3");
    JsonNode manifest = manifest(result);
    assertEquals(0, manifest.get("row_count").asLong());
    for (String format : List.of("parquet", "csv.gz", "ndjson.gz")) {
      assertEquals(List.of(0L, 0L, 0L), shardRows(manifest, format), format);
    }
    assertEquals(
        0, count(result.manifestPath().getParent().resolve("parquet") + "/*.parquet", "true"));
    Amber.Result verify = Amber.run("verify", result.manifestPath().toString());
    assertEquals(0, verify.exitCode(), verify.stdout());
  }

  @Test
  void aOneRowResult() throws Exception {
    Amber.Result result = build("lonely", "--table", "lonely", "--partitions", "4");
    JsonNode manifest = manifest(result);
    assertEquals(1, manifest.get("row_count").asLong());
    assertEquals(1, shardRows(manifest, "csv.gz").stream().mapToLong(Long::longValue).sum());
    assertEquals(4, shardRows(manifest, "csv.gz").size());
  }

  @Test
  void skewedKeysStillGiveShardsOfSimilarSize() throws Exception {
    Amber.Result result = build("skewed", "--table", "skewed", "--partitions", "4");
    List<Long> rows = shardRows(manifest(result), "parquet");
    assertEquals(10_000, rows.stream().mapToLong(Long::longValue).sum());
    for (long shard : rows) {
      assertTrue(
          shard >= 1_500 && shard <= 3_500,
          "equal-width ranges would put 9000 rows in one shard: " + rows);
    }
  }

  @Test
  void aQueryJoiningTablesIsPartitionedByAColumnOfItsResult() throws Exception {
    Amber.Result result =
        build(
            "readings-by-station",
            "--query",
            "SELECT r.id, r.value, s.name FROM reading r JOIN station s ON s.id = r.station ORDER BY r.id DESC",
            "--partition-column",
            "id",
            "--partitions",
            "3");
    JsonNode manifest = manifest(result);
    assertEquals(4500, manifest.get("row_count").asLong());
    assertEquals("id", manifest.get("partitioning").get("column").asText());
    Path first = result.manifestPath().getParent().resolve("parquet/part-00000-of-00003.parquet");
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement();
        ResultSet rs = statement.executeQuery("SELECT id FROM read_parquet('" + first + "')")) {
      long previous = Long.MIN_VALUE;
      while (rs.next()) {
        assertTrue(rs.getLong(1) > previous, "rows in key order, whatever the query's ORDER BY");
        previous = rs.getLong(1);
      }
    }
  }
}
