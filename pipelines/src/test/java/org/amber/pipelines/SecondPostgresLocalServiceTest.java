package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Determinism across servers: the same rows in the test PostgreSQL and in a second server of
 * another major version ({@code AMBER_TEST_SECOND_PG_URL}, the machine's PostgreSQL 15, run by
 * `.ci/run` through the {@code second-postgres} Maven profile) give the same content digest.
 */
class SecondPostgresLocalServiceTest {
  private static final String[] SCHEMA = {
    "CREATE TABLE measurement (id bigint PRIMARY KEY, taken timestamptz, day date, value double precision,"
        + " amount numeric(12,4), note text, tags text[], extra jsonb, raw bytea)",
    "INSERT INTO measurement SELECT g, timestamptz '2024-01-01 00:00+00' + g * interval '1 minute', date '2024-01-01' + g % 400,"
        + " g / 7.0, g / 3.0, CASE WHEN g % 9 = 0 THEN NULL ELSE E'note \"' || g || E'\"\\n' END, ARRAY['a' || g % 4, NULL],"
        + " jsonb_build_object('k', g, 'even', g % 2 = 0), int4send(g) FROM generate_series(1, 5000) g"
  };

  @TempDir Path out;

  @Test
  void twoServerVersionsGiveTheSameDigestForTheSameRows() throws Exception {
    String first = TestPostgres.freshDatabase("second_server_a");
    String second =
        TestPostgres.withDatabase(System.getenv("AMBER_TEST_SECOND_PG_URL"), "amber_second_server");
    TestPostgres.execute(
        System.getenv("AMBER_TEST_SECOND_PG_URL"),
        "DROP DATABASE IF EXISTS amber_second_server WITH (FORCE)",
        "CREATE DATABASE amber_second_server");
    TestPostgres.execute(first, SCHEMA);
    TestPostgres.execute(second, SCHEMA);
    assertNotEquals(serverVersion(first), serverVersion(second), "two different servers");

    String[] formats = {
      "--formats", "parquet,csv.gz,ndjson.gz", "--partitions", "3", "--table", "measurement"
    };
    Amber.Result a =
        Amber.materialise(
            concat(
                new String[] {
                  "--source",
                  first,
                  "--dataset",
                  "m",
                  "--output",
                  out.resolve("a").toUri().toString()
                },
                formats));
    Amber.Result b =
        Amber.materialise(
            concat(
                new String[] {
                  "--source",
                  second,
                  "--dataset",
                  "m",
                  "--output",
                  out.resolve("b").toUri().toString()
                },
                formats));
    assertEquals(0, a.exitCode(), a.stderr());
    assertEquals(0, b.exitCode(), b.stderr());
    assertEquals(a.summary().get("content_digest"), b.summary().get("content_digest"));
  }

  /** The machine's PostgreSQL 15 splits a table without a key by ctid ranges too. */
  @Test
  void aTableWithoutAKeyIsSplitByCtidRangesOnPostgres15() throws Exception {
    String server = System.getenv("AMBER_TEST_SECOND_PG_URL");
    TestPostgres.execute(
        server,
        "DROP DATABASE IF EXISTS amber_second_keyless WITH (FORCE)",
        "CREATE DATABASE amber_second_keyless");
    String database = TestPostgres.withDatabase(server, "amber_second_keyless");
    TestPostgres.execute(
        database,
        "CREATE TABLE keyless (n int NOT NULL, payload text)",
        "INSERT INTO keyless SELECT g, md5(g::text) FROM generate_series(1, 100000) g");
    Amber.Result result =
        Amber.materialise(
            "--source",
            database,
            "--dataset",
            "keyless",
            "--table",
            "keyless",
            "--partitions",
            "4",
            "--output",
            out.toUri().toString());
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals("15", serverVersion(database));
    JsonNode record = AnyKeyPartitioningTest.buildRecord(out, "keyless");
    assertEquals("ctid", record.at("/partitioning/strategy").asText(), record.toString());
    assertEquals(4, record.at("/partitioning/shards").asInt());
    JsonNode manifest = new ObjectMapper().readTree(Files.readAllBytes(result.manifestPath()));
    List<Long> rows = new ArrayList<>();
    manifest.at("/formats/parquet/files").forEach(f -> rows.add(f.get("rows").asLong()));
    assertEquals(100_000, rows.stream().mapToLong(Long::longValue).sum());
    rows.forEach(r -> assertTrue(r > 0 && r <= 50_000, "balanced: " + rows));
  }

  private static String serverVersion(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version_num")) {
      rs.next();
      return rs.getString(1).substring(0, 2);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
