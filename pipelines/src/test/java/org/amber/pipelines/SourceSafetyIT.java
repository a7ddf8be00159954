package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.amber.pipelines.testing.AmberProcess;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source safety through the packaged command line: a build stopped with SIGTERM takes its query on
 * the source with it, and {@code amber demo-db} hands out a role that can only read.
 */
class SourceSafetyIT {
  @TempDir Path out;
  static String url;

  @BeforeAll
  static void slowTable() throws Exception {
    url = TestPostgres.freshDatabase("source_safety_it");
    TestPostgres.execute(
        url,
        "CREATE TABLE item (id int PRIMARY KEY, name text)",
        "INSERT INTO item SELECT g, 'item ' || g FROM generate_series(1, 2000) g");
  }

  @Test
  void sigtermCancelsTheBuildsQueryOnTheSource() throws Exception {
    String buildId = "sigterm-1";
    Process build =
        AmberProcess.start(
            AmberProcess.amber(
                out.resolve("build.out"),
                out.resolve("build.err"),
                "materialise",
                "--source",
                url,
                "--dataset",
                "slow",
                "--output",
                out.toUri().toString(),
                "--build-id",
                buildId,
                "--partitions",
                "1",
                "--progress",
                "none",
                // About 100 s of reading: it must be cut short.
                "--query",
                "SELECT id, name, length(pg_sleep(0.05)::text) AS pause FROM item"));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (activeCopies(buildId) == 0) {
        assertTrue(
            build.isAlive(),
            "the build ended before it was stopped: " + Files.readString(out.resolve("build.err")));
        assertTrue(System.nanoTime() < deadline, "the build did not start reading");
        Thread.onSpinWait();
      }
      build.destroy();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (activeCopies(buildId) > 0) {
        assertTrue(
            System.nanoTime() < deadline, "the query still runs on the source 10 s after SIGTERM");
        Thread.onSpinWait();
      }
      assertTrue(build.waitFor(30, TimeUnit.SECONDS), "the build exits");
    } finally {
      build.destroyForcibly();
    }
  }

  @Test
  void demoDbPrintsTheUrlOfARoleThatCanOnlyRead() throws Exception {
    Path stdout = out.resolve("demo.out");
    Process demo =
        AmberProcess.start(
            AmberProcess.amber(stdout, out.resolve("demo.err"), "demo-db", "--rows", "2000"));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (Files.readString(stdout).lines().findFirst().isEmpty()) {
        assertTrue(demo.isAlive(), "demo-db ended: " + Files.readString(out.resolve("demo.err")));
        assertTrue(System.nanoTime() < deadline, "demo-db printed no URL");
        Thread.onSpinWait();
      }
      List<String> lines = Files.readString(stdout).lines().toList();
      assertEquals(1, lines.size(), lines.toString());
      String readerUrl = lines.get(0);
      assertTrue(readerUrl.contains("user=amber_reader"), readerUrl);
      try (Connection reader = DriverManager.getConnection(readerUrl);
          Statement statement = reader.createStatement()) {
        try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM binding_assay")) {
          rs.next();
          assertEquals(2000, rs.getLong(1), "it reads");
        }
        SQLException refused =
            org.junit.jupiter.api.Assertions.assertThrows(
                SQLException.class, () -> statement.execute("DELETE FROM binding_assay"));
        assertEquals("42501", refused.getSQLState(), "permission denied: " + refused.getMessage());
        try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM binding_assay")) {
          rs.next();
          assertEquals(2000, rs.getLong(1), "nothing deleted");
        }
      }
    } finally {
      demo.destroy();
      demo.waitFor(30, TimeUnit.SECONDS);
      demo.destroyForcibly();
    }
  }

  /** The build's backends running its COPY, by the application name that carries the build id. */
  private static int activeCopies(String buildId) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE application_name = ? AND state = 'active' AND query LIKE 'COPY%'")) {
      statement.setString(1, "amber build " + buildId);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
