package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.amber.pipelines.testing.Amber;
import org.amber.pipelines.testing.AmberProcess;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build stopped part way (SIGTERM or SIGKILL of the real process) exits non-zero and leaves no
 * manifest.json at any address: only complete datasets are ever visible.
 */
class KilledBuildIT {
  @TempDir Path out;
  static String url;

  @BeforeAll
  static void slowTable() throws Exception {
    url = TestPostgres.freshDatabase("killed");
    TestPostgres.execute(
        url,
        "CREATE TABLE item (id int PRIMARY KEY, name text)",
        "INSERT INTO item SELECT g, 'item ' || g FROM generate_series(1, 400) g");
  }

  /**
   * Starts a build whose one partition takes seconds to read (one partition: no planning scans of
   * the slow query), and waits until its pipeline runs: the snapshot is held, the read under way.
   */
  private Process startSlowBuild(String dataset) throws Exception {
    Path stderr = out.resolve(dataset + ".err");
    Process build =
        AmberProcess.start(
            AmberProcess.amber(
                out.resolve(dataset + ".out"),
                stderr,
                "materialise",
                "--source",
                url,
                "--dataset",
                dataset,
                "--output",
                out.toUri().toString(),
                "--query",
                "SELECT id, name, length(pg_sleep(0.02)::text) AS pause FROM item",
                "--partitions",
                "1",
                "--formats",
                "parquet,csv.gz",
                "--progress",
                "plain"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(stderr).contains("0/1 partitions")) {
      assertTrue(
          build.isAlive(), "the build ended before it was stopped: " + Files.readString(stderr));
      assertTrue(System.nanoTime() < deadline, "the build did not start reading");
      Thread.onSpinWait();
    }
    return build;
  }

  @Test
  void sigtermPartWaySaysNothingWasCommitted() throws Exception {
    Process build = startSlowBuild("terminated");
    build.destroy();
    assertTrue(build.waitFor(60, TimeUnit.SECONDS));
    assertNotEquals(0, build.exitValue());
    String stderr = Files.readString(out.resolve("terminated.err"));
    assertTrue(
        stderr.strip().endsWith("amber: stopped before the build finished; nothing was committed"),
        stderr);
    assertEquals(0, Amber.manifestsUnder(out).size());
  }

  @Test
  void sigkillPartWayLeavesNoManifestAndNoHeldSnapshot() throws Exception {
    Process build = startSlowBuild("killed");
    build.destroyForcibly();
    assertTrue(build.waitFor(60, TimeUnit.SECONDS));
    assertNotEquals(0, build.exitValue());
    assertEquals(0, Amber.manifestsUnder(out).size());
    // The coordinator's connection died with the process, so the server released the snapshot.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (idleInTransaction() > 0) {
      assertTrue(System.nanoTime() < deadline, "a snapshot is still held by a dead build");
      Thread.onSpinWait();
    }
  }

  private static long idleInTransaction() throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'amber' AND state LIKE 'idle in transaction%'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
