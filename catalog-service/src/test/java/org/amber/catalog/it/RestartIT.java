package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.Poll;
import org.amber.catalog.testing.SourceData;
import org.amber.catalog.testing.Versions;
import org.junit.jupiter.api.Test;

/**
 * A restart loses nothing: queued builds run afterwards; a build that was running ends ERROR
 * ({@code interrupted}) with its process stopped and its staging removed.
 */
class RestartIT {
  private static final Duration BUILD = Duration.ofMinutes(3);

  @Test
  void queuedBuildsRunAfterARestartAndRunningOnesEndInterrupted() throws Exception {
    try (CatalogFixture catalog =
        CatalogFixture.start(c -> c.toBuilder().maxConcurrentBuilds(1).build())) {
      SourceData.load(catalog.sourceUrl());
      Api api = catalog.api();
      assertEquals(
          201,
          api.put(
                  "/v1/datasets/slow",
                  "{\"source\":\"src\",\"query\":\"" + SourceData.SLOW_QUERY + "\"}")
              .status());
      assertEquals(
          201,
          api.put("/v1/datasets/waiting", "{\"source\":\"src\",\"table\":\"extra\"}").status());

      String slow = api.post("/v1/datasets/slow/versions", null).header("Location").orElseThrow();
      String buildId = Versions.awaitStatus(api, slow, BUILD, "EXECUTING").get("build_id").asText();
      ProcessHandle child =
          Poll.until(
                  "the build process",
                  Duration.ofSeconds(30),
                  () -> SourceData.buildProcess(buildId),
                  p -> p.isPresent())
              .orElseThrow();
      String waiting =
          api.post("/v1/datasets/waiting/versions", null).header("Location").orElseThrow();
      assertEquals("QUEUED", api.get(waiting).json().get("status").asText());

      catalog.restart();
      api = catalog.api();

      JsonNode interrupted = api.get(slow).json();
      assertEquals("ERROR", interrupted.get("status").asText());
      assertEquals("interrupted", interrupted.get("error").get("type").asText());
      assertFalse(child.isAlive(), "its process was stopped");
      assertFalse(Files.exists(catalog.outputRoot().resolve("slow/.staging/" + buildId)));
      JsonNode ran = Versions.awaitStatus(api, waiting, BUILD, "COMPLETED", "ERROR");
      assertEquals("COMPLETED", ran.get("status").asText(), ran.toString());
      assertEquals(500, ran.get("rows").asLong());
    }
  }
}
