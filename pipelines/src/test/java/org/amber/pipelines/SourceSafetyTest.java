package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.amber.transforms.source.JdbcSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pipeline holds itself to the source-safety rules whoever started it: a query is checked by
 * the source's own parser at the start of every build (here with a superuser URL and no catalog in
 * front), and a build whose partition fails stops its other partitions' queries before it reports
 * the failure.
 */
class SourceSafetyTest {
  @TempDir Path out;
  static String url;

  @BeforeAll
  static void tables() throws Exception {
    url = TestPostgres.freshDatabase("source_safety");
    TestPostgres.execute(
        url,
        "CREATE TABLE victim (id int PRIMARY KEY, v text)",
        "INSERT INTO victim SELECT g, 'row ' || g FROM generate_series(1, 1000) g",
        // IMMUTABLE so that the planning scans (which read only id) leave it out.
        "CREATE FUNCTION slow(n int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS"
            + " $$ BEGIN PERFORM pg_sleep(0.1); RETURN n; END $$");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT 1 AS a --\r) q; COMMIT; START TRANSACTION READ WRITE; INSERT INTO victim VALUES (-1);"
            + " COMMIT; BEGIN; SELECT * FROM (SELECT 1 AS a --\n, 2 AS b",
        "SELECT 1 AS €$x$) q; COMMIT; START TRANSACTION READ WRITE; DELETE FROM victim; COMMIT; BEGIN;"
            + " SELECT * FROM (SELECT 1 AS b, $x$ AS c",
        "SELECT 1 AS a; DELETE FROM victim",
        "SELECT 'a\\'; DELETE FROM victim; SELECT '1' AS b",
        "WITH d AS (DELETE FROM victim RETURNING *) SELECT * FROM d",
      })
  void aBuildChecksItsQueryBeforeRunningIt(String query) throws Exception {
    String before = victim();
    Amber.Result result =
        Amber.materialise(
            "--source",
            url,
            "--query",
            query,
            "--dataset",
            "injected",
            "--output",
            out.toUri().toString());
    assertNotEquals(0, result.exitCode());
    String stderr = result.stderr().strip();
    assertEquals(1, stderr.lines().count(), stderr);
    assertTrue(
        stderr.contains("the query must be a single statement")
            || stderr.contains("does not accept the query")
            || stderr.contains("the query has an unterminated"),
        stderr);
    assertEquals(before, victim(), "nothing written to the source");
    assertEquals(0, Amber.manifestsUnder(out).size());
  }

  @Test
  void aFailingPartitionCancelsTheOthersBeforeTheFailureIsReported() throws Exception {
    String buildId = "failing-partition-1";
    // Partition 1 of 4 fails on its 20th row (about 2 s in); each of the others reads 250 rows at
    // 0.1 s a row, so they would still be running long after that.
    Amber.Result result =
        Amber.materialise(
            "--source",
            url,
            "--dataset",
            "failing",
            "--output",
            out.toUri().toString(),
            "--build-id",
            buildId,
            "--query",
            "SELECT id, CASE WHEN id = 20 THEN id / (id - id) ELSE slow(id) END AS x FROM victim",
            "--partition-column",
            "id",
            "--partitions",
            "4",
            "--max-connections",
            "4");
    assertNotEquals(0, result.exitCode());
    assertTrue(result.stderr().contains("division by zero"), result.stderr());
    // When the failure is reported the build's sessions have ended (a backend goes a moment after).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sessions("amber build " + buildId) > 0) {
      assertTrue(
          System.nanoTime() < deadline, "the other partitions' queries still run on the source");
      Thread.onSpinWait();
    }
    assertEquals(0, Amber.manifestsUnder(out).size());
  }

  @Test
  void sourceSessionsStartReadOnlyAndKeepTheOperatorsOptions() throws Exception {
    JdbcSource source =
        new JdbcSource(url + "&options=-c%20search_path%3Dmine,public", null, 5_000);
    try (Connection connection = source.connect();
        Statement statement = connection.createStatement()) {
      assertEquals("on", show(statement, "default_transaction_read_only"));
      assertEquals("on", show(statement, "standard_conforming_strings"));
      assertEquals("2s", show(statement, "client_connection_check_interval"));
      assertEquals("mine,public", show(statement, "search_path"), "the URL's own options are kept");
      SQLException refused =
          assertThrows(
              SQLException.class, () -> statement.execute("INSERT INTO victim VALUES (-1, 'x')"));
      assertEquals("25006", refused.getSQLState(), refused.getMessage());
    }
    assertEquals(1000, Integer.parseInt(victim().split(":")[0]));
  }

  private static String show(Statement statement, String setting) throws SQLException {
    try (ResultSet rs = statement.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String victim() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT count(*) || ':' || md5(string_agg(id || v, ',' ORDER BY id)) FROM victim");
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  static int sessions(String applicationName) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
      statement.setString(1, applicationName);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
