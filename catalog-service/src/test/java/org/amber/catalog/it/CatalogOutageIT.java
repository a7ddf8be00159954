package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The catalog database goes away while a build runs and comes back on the same port: the build that
 * ended meanwhile is recorded with its true end, and the build queued behind it runs, without
 * anyone asking again.
 */
class CatalogOutageIT {
  private static final Duration BUILD = Duration.ofMinutes(2);
  private static final String BRIEF_QUERY = "SELECT slow(g) AS n FROM generate_series(1, 100) g";

  private EmbeddedPostgres catalogDb;
  private ServiceProcess service;

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (catalogDb != null) {
      catalogDb.close();
    }
  }

  @Test
  void buildsEndingDuringAnOutageAreRecordedAndQueuedOnesRunAfterIt() throws Exception {
    Path root = Files.createTempDirectory("amber-outage");
    Path catalogData = root.resolve("catalog-db");
    catalogDb = catalogDatabase(catalogData, 0);
    int catalogPort = catalogDb.getPort();
    String sourceUrl = TestPostgres.freshDatabase("source");
    SourceData.load(sourceUrl);
    service =
        ServiceProcess.start(
            root.resolve("serve.log"),
            "--port=0",
            "--data-dir=" + root,
            "--output=" + root.resolve("artifacts").toUri(),
            "--catalog-url=" + catalogDb.getJdbcUrl("postgres", "postgres"),
            "--demo-mode=true",
            "--source",
            "src=" + TestPostgres.readerUrl(sourceUrl),
            "--max-concurrent-builds=1",
            "--build-heap=256m",
            "--pipelines-jar=" + CatalogFixture.pipelinesJar().toAbsolutePath());
    Api api = new Api(service.awaitListening(Duration.ofSeconds(60)), null);
    assertEquals(
        201,
        api.put("/v1/datasets/brief", "{\"source\":\"src\",\"query\":\"" + BRIEF_QUERY + "\"}")
            .status());
    assertEquals(
        201, api.put("/v1/datasets/after", "{\"source\":\"src\",\"table\":\"extra\"}").status());
    String brief = api.post("/v1/datasets/brief/versions", null).header("Location").orElseThrow();
    Versions.RunningBuild running = Versions.awaitBuildProcess(api, brief, BUILD);
    String buildId = running.buildId();
    ProcessHandle child = running.process();
    String after = api.post("/v1/datasets/after/versions", null).header("Location").orElseThrow();
    assertEquals("QUEUED", api.get(after).json().get("status").asText());

    catalogDb.close();
    catalogDb = null;
    Poll.until("the build to end during the outage", BUILD, child::isAlive, alive -> !alive);
    Poll.until(
        "the service to fail to record the build's end",
        Duration.ofSeconds(60),
        service::log,
        log -> log.contains("cannot record the end of brief v1"));

    catalogDb = catalogDatabase(catalogData, catalogPort);

    JsonNode ended =
        Poll.until(
                "the build's end to be recorded",
                BUILD,
                () -> api.get(brief),
                r -> r.status() == 200 && !r.json().get("status").asText().equals("EXECUTING"))
            .json();
    assertEquals("COMPLETED", ended.get("status").asText(), ended.toString());
    assertEquals(100, ended.get("rows").asLong());
    JsonNode ran =
        Poll.until(
                "the queued build to run",
                BUILD,
                () -> api.get(after).json(),
                v -> v.get("status").asText().matches("COMPLETED|ERROR|ABORTED"))
            .deepCopy();
    assertEquals("COMPLETED", ran.get("status").asText(), ran.toString());
    assertTrue(service.process().isAlive());
  }

  /** A catalog database the test can stop and start again on the same port and files. */
  private static EmbeddedPostgres catalogDatabase(Path data, int port) throws Exception {
    return EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }
}
