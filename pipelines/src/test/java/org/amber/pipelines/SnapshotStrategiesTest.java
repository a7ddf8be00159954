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
import java.time.Duration;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.amber.transforms.postgres.SnapshotCoordinator;
import org.amber.transforms.source.JdbcSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot strategies of snapshot.md, and what the build record says about each. */
class SnapshotStrategiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path out;
  static String url;

  @BeforeAll
  static void table() throws Exception {
    url = TestPostgres.freshDatabase("strategies");
    TestPostgres.execute(
        url,
        "CREATE TABLE item (id int PRIMARY KEY, name text)",
        "INSERT INTO item SELECT g, 'item ' || g FROM generate_series(1, 1000) g");
  }

  private JsonNode buildRecord(Amber.Result result) throws Exception {
    return JSON.readTree(
        Files.readAllBytes(Path.of(java.net.URI.create(result.summary().get("build").asText()))));
  }

  private Amber.Result build(String dataset, String... args) {
    String[] all = new String[args.length + 8];
    System.arraycopy(
        new String[] {
          "--source",
          url,
          "--table",
          "item",
          "--dataset",
          dataset,
          "--output",
          out.toUri().toString()
        },
        0,
        all,
        0,
        8);
    System.arraycopy(args, 0, all, 8, args.length);
    return Amber.materialise(all);
  }

  @Test
  void exportedIsTheDefaultAndIsRecorded() throws Exception {
    Amber.Result result = build("exported", "--partitions", "4");
    assertEquals(0, result.exitCode(), result.stderr());
    JsonNode snapshot = buildRecord(result).get("snapshot");
    assertEquals("exported", snapshot.get("strategy").asText());
    assertEquals("snapshot", snapshot.get("consistency").asText());
    assertTrue(
        snapshot.get("id").asText().matches("[0-9A-F]+-[0-9A-F]+-[0-9]+"), snapshot.toString());
    assertTrue(snapshot.get("lsn").asText().contains("/"), snapshot.toString());
    assertTrue(snapshot.has("txid_snapshot"), snapshot.toString());
    assertEquals(4, buildRecord(result).get("partition_plan").size());
  }

  @Test
  void singleReadsInOneTransaction() throws Exception {
    Amber.Result result = build("single", "--snapshot", "single");
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals("single", buildRecord(result).get("snapshot").get("strategy").asText());
    assertEquals(1, buildRecord(result).get("partition_plan").size());
    assertEquals(1000, result.summary().get("rows").asLong());
  }

  @Test
  void noneSaysSoInTheBuildRecord() throws Exception {
    Amber.Result result = build("none", "--snapshot", "none", "--partitions", "3");
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals("none", buildRecord(result).get("snapshot").get("consistency").asText());
    assertEquals(1000, result.summary().get("rows").asLong());
  }

  @Test
  void aSnapshotHeldElsewhereIsReadAsOfItsExport() throws Exception {
    try (SnapshotCoordinator held =
        SnapshotCoordinator.export(new JdbcSource(url, null, 0), Duration.ofMinutes(5))) {
      TestPostgres.execute(url, "UPDATE item SET name = 'changed later' WHERE id <= 10");
      Amber.Result result =
          build("held", "--snapshot-id", held.snapshot().id(), "--partitions", "2");
      assertEquals(0, result.exitCode(), result.stderr());
      assertEquals(held.snapshot().id(), buildRecord(result).get("snapshot").get("id").asText());
      String glob = result.manifestPath().getParent().resolve("parquet") + "/*.parquet";
      try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
          Statement statement = duck.createStatement();
          ResultSet rs =
              statement.executeQuery(
                  "SELECT count(*) FROM read_parquet('"
                      + glob
                      + "') WHERE name = 'changed later'")) {
        rs.next();
        assertEquals(0, rs.getLong(1), "the update came after the snapshot");
      }
    } finally {
      TestPostgres.execute(url, "UPDATE item SET name = 'item ' || id WHERE id <= 10");
    }
  }

  @Test
  void aSnapshotThatIsNoLongerHeldFailsTheBuildClearly() throws Exception {
    String id;
    try (SnapshotCoordinator gone =
        SnapshotCoordinator.export(new JdbcSource(url, null, 0), Duration.ofMinutes(5))) {
      id = gone.snapshot().id();
    }
    Amber.Result result = build("gone", "--snapshot-id", id);
    assertNotEquals(0, result.exitCode());
    assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
    assertTrue(result.stderr().contains("is no longer held"), result.stderr());
    assertEquals(0, Amber.manifestsUnder(out.resolve("gone")).size());
  }

  @Test
  void holdingTheSnapshotPastTheMaximumFailsTheBuildAndReleasesIt() throws Exception {
    Amber.Result result =
        Amber.materialise(
            "--source",
            url,
            "--dataset",
            "slow",
            "--output",
            out.toUri().toString(),
            "--query",
            "SELECT g AS id, length(pg_sleep(0.5)::text) AS pause FROM generate_series(1, 6) g",
            "--partitions",
            "1",
            "--max-snapshot-hold",
            "PT1S");
    assertNotEquals(0, result.exitCode());
    assertTrue(result.stderr().contains("--max-snapshot-hold=PT1S"), result.stderr());
    assertEquals(0, Amber.manifestsUnder(out.resolve("slow")).size());
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'amber' AND state = 'idle in transaction'")) {
      rs.next();
      assertEquals(0, rs.getLong(1), "no coordinator left holding a snapshot");
    }
  }
}
