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
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generic JDBC path against a real MariaDB (the server named by {@code AMBER_TEST_MARIADB_URL};
 * `.ci/run` starts the machine's own and runs this class through the {@code mariadb} Maven
 * profile).
 */
class MariaDbLocalServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path out;

  @Test
  void aMariaDbTableBecomesADatasetWithoutASharedSnapshot() throws Exception {
    String url = System.getenv("AMBER_TEST_MARIADB_URL");
    TestPostgres.execute(
        url,
        "DROP TABLE IF EXISTS amber_sample",
        "CREATE TABLE amber_sample (id BIGINT PRIMARY KEY, station INT NULL, label VARCHAR(40), price DECIMAL(10,2),"
            + " ratio DOUBLE, taken DATETIME(6), day DATE, payload BLOB, flag BOOLEAN)",
        "INSERT INTO amber_sample SELECT n, IF(n % 10 = 0, NULL, n % 7), CONCAT('label \"', n, '\", ok'), n / 4, n / 3.0,"
            + " TIMESTAMP('2024-01-01 00:00:00') + INTERVAL n SECOND, DATE('2024-01-01') + INTERVAL (n % 300) DAY,"
            + " UNHEX(LPAD(HEX(n), 8, '0')), n % 2 = 0 FROM (SELECT seq AS n FROM seq_1_to_3000) g");
    Amber.Result result =
        Amber.materialise(
            "--source",
            url,
            "--table",
            "amber_sample",
            "--dataset",
            "mariadb-sample",
            "--partition-column",
            "station",
            "--partitions",
            "4",
            "--formats",
            "parquet,csv.gz,ndjson.gz",
            "--output",
            out.toUri().toString());
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals(3000, result.summary().get("rows").asLong());
    JsonNode record =
        JSON.readTree(
            Files.readAllBytes(
                Path.of(java.net.URI.create(result.summary().get("build").asText()))));
    assertEquals("none", record.get("snapshot").get("consistency").asText());
    assertEquals("mariadb", record.get("source").get("kind").asText());

    JsonNode manifest = JSON.readTree(Files.readAllBytes(result.manifestPath()));
    assertEquals(
        300,
        manifest.get("formats").get("parquet").get("files").get(3).get("rows").asLong(),
        "NULL keys in their own shard");
    String glob = result.manifestPath().getParent().resolve("parquet") + "/*.parquet";
    try (Connection maria = DriverManager.getConnection(url);
        Statement ms = maria.createStatement();
        ResultSet want =
            ms.executeQuery(
                "SELECT SUM(price), SUM(id), COUNT(station), MAX(label) FROM amber_sample");
        Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement ds = duck.createStatement();
        ResultSet got =
            ds.executeQuery(
                "SELECT SUM(price), SUM(id), COUNT(station), MAX(label) FROM read_parquet('"
                    + glob
                    + "')")) {
      want.next();
      got.next();
      assertEquals(want.getBigDecimal(1), got.getBigDecimal(1));
      assertEquals(want.getLong(2), got.getLong(2));
      assertEquals(want.getLong(3), got.getLong(3));
      assertEquals(want.getString(4), got.getString(4));
    }
    Amber.Result verify = Amber.run("verify", result.manifestPath().toString());
    assertEquals(0, verify.exitCode(), verify.stdout());
    assertTrue(Amber.manifestsUnder(out).size() == 1);
  }
}
