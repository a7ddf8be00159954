package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.Poll;
import org.amber.catalog.testing.ServiceProcess;
import org.amber.catalog.testing.SourceData;
import org.amber.catalog.testing.Versions;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged service on its embedded catalog, killed outright (kill -9) while a build runs: the
 * build process finishes and commits on its own, and ONE restart comes up, stops the catalog
 * database the killed service left running, and records that build as completed, with the changes
 * its build record holds.
 */
class EmbeddedCatalogCrashIT {
  private static final Duration BUILD = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Long enough to still run when the service is killed, short enough to finish after. */
  private static final String BRIEF_QUERY = "SELECT slow(g) AS n FROM generate_series(1, 100) g";

  private final List<ServiceProcess> services = new ArrayList<>();
  private String sourceUrl;
  private final List<ProcessHandle> postmasters = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (ServiceProcess s : services) {
      s.close();
    }
    postmasters.forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void theFirstRestartAfterKill9ComesUpAndAdoptsTheCommittedBuild() throws Exception {
    sourceUrl = TestPostgres.freshDatabase("source");
    SourceData.load(sourceUrl);
    Path root = Files.createTempDirectory("amber-embedded-crash");

    Api api = new Api(start(root, "first").awaitListening(Duration.ofSeconds(90)), null);
    // A dataset named like the catalog's former folder lands beside the catalog, not in it.
    assertEquals(
        201, api.put("/v1/datasets/catalog", "{\"source\":\"src\",\"table\":\"extra\"}").status());
    String named = api.post("/v1/datasets/catalog/versions", null).header("Location").orElseThrow();
    JsonNode catalogBuilt = Versions.awaitStatus(api, named, BUILD, "COMPLETED", "ERROR");
    assertEquals("COMPLETED", catalogBuilt.get("status").asText(), catalogBuilt.toString());

    assertEquals(
        201,
        api.put("/v1/datasets/brief", "{\"source\":\"src\",\"query\":\"" + BRIEF_QUERY + "\"}")
            .status());
    // A first version, so that the orphaned build has one to compare with.
    String before = api.post("/v1/datasets/brief/versions", null).header("Location").orElseThrow();
    assertEquals(
        "COMPLETED",
        Versions.awaitStatus(api, before, BUILD, "COMPLETED", "ERROR").get("status").asText());
    String brief = api.post("/v1/datasets/brief/versions", null).header("Location").orElseThrow();
    Api first = api;
    Versions.RunningBuild running = Versions.awaitBuildProcess(first, brief, BUILD);
    String buildId = running.buildId();
    ProcessHandle child = running.process();
    ProcessHandle firstPostmaster = postmaster(root);

    services.get(0).kill();
    assertTrue(child.isAlive(), "the build outlives the killed service");
    Poll.until("the orphaned build to finish", BUILD, child::isAlive, alive -> !alive);
    Path record = root.resolve("brief/builds/" + buildId + ".json");
    assertTrue(Files.exists(record), "the orphaned build committed");
    assertTrue(firstPostmaster.isAlive(), "the killed service left its catalog database running");

    long restart = System.nanoTime();
    api = new Api(start(root, "second").awaitListening(Duration.ofSeconds(30)), null);
    assertTrue(Duration.ofNanos(System.nanoTime() - restart).compareTo(Duration.ofSeconds(30)) < 0);
    assertFalse(firstPostmaster.isAlive(), "the left-over catalog database was stopped");

    JsonNode adopted = api.get(brief).json();
    assertEquals("COMPLETED", adopted.get("status").asText(), adopted.toString());
    assertEquals(
        JSON.readTree(record.toFile()).get("content_digest").asText(),
        adopted.get("content_digest").asText());
    assertEquals(100, adopted.get("rows").asLong());
    // Its changes came with it, from its build record: a query's result has no key to count by.
    JsonNode changes = adopted.get("changes");
    assertEquals(1, changes.get("compared_with").asInt(), adopted.toString());
    assertFalse(changes.get("available").asBoolean(), changes.toString());
    assertTrue(changes.get("reason").asText().contains("has no key"), changes.toString());
    assertFalse(Files.exists(root.resolve("brief/.staging/" + buildId)), "no staging left");
    assertTrue(SourceData.buildProcess(buildId).isEmpty(), "no build process left");

    // The dataset named "catalog" and the catalog itself both survived.
    JsonNode stillThere = api.get(named).json();
    assertEquals("COMPLETED", stillThere.get("status").asText());
    assertEquals(
        catalogBuilt.get("content_digest").asText(), stillThere.get("content_digest").asText());
    assertTrue(Files.exists(root.resolve(".catalog/pgdata/PG_VERSION")));
    assertFalse(Files.exists(root.resolve("catalog/PG_VERSION")));

    ProcessHandle secondPostmaster = postmaster(root);
    services.get(1).close();
    // pg_ctl returns once the pid file is gone, a moment before the process itself has exited.
    Poll.until(
        "a stopped service to stop its catalog database",
        Duration.ofSeconds(15),
        secondPostmaster::isAlive,
        alive -> !alive);
  }

  private ServiceProcess start(Path root, String name) throws Exception {
    ServiceProcess service =
        ServiceProcess.start(
            root.resolve(name + ".log"),
            "--port=0",
            "--data-dir=" + root,
            "--source",
            "src=" + TestPostgres.readerUrl(sourceUrl),
            "--max-concurrent-builds=1",
            "--build-heap=256m",
            "--pipelines-jar=" + CatalogFixture.pipelinesJar().toAbsolutePath());
    services.add(service);
    return service;
  }

  private ProcessHandle postmaster(Path root) throws Exception {
    long pid =
        Long.parseLong(
            Files.readAllLines(root.resolve(".catalog/pgdata/postmaster.pid")).get(0).trim());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    postmasters.add(postmaster);
    return postmaster;
  }
}
