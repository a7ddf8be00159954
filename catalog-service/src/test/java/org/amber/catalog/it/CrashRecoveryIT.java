package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.Poll;
import org.amber.catalog.testing.SourceData;
import org.amber.catalog.testing.Versions;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * The packaged service killed outright (kill -9) while a build runs: its build process outlives it,
 * and the next start stops that orphan, clears its staging, marks the build interrupted and runs
 * what was queued.
 */
class CrashRecoveryIT {
  private static final Duration BUILD = Duration.ofMinutes(3);
  private static final Pattern LISTENING = Pattern.compile("catalog listening on [^:]+:(\\d+)");

  private final List<Process> started = new ArrayList<>();

  @Test
  void aKilledServiceLeavesNoOrphanBuildAfterItsRestart() throws Exception {
    String catalogUrl = TestPostgres.freshDatabase("catalog");
    String sourceUrl = TestPostgres.freshDatabase("source");
    SourceData.load(sourceUrl);
    Path root = Files.createTempDirectory("amber-crash-test");
    ProcessHandle orphan = null;
    try {
      Api api = new Api(startService(root, catalogUrl, sourceUrl, "first"), null);
      assertEquals(
          201,
          api.put(
                  "/v1/datasets/slow",
                  "{\"source\":\"src\",\"query\":\"" + SourceData.SLOW_QUERY + "\"}")
              .status());
      assertEquals(
          201,
          api.put(
                  "/v1/datasets/waiting",
                  "{\"source\":\"src\",\"table\":\"extra\",\"formats\":\"csv.gz\"}")
              .status());
      String slow = api.post("/v1/datasets/slow/versions", null).header("Location").orElseThrow();
      String buildId = Versions.awaitStatus(api, slow, BUILD, "EXECUTING").get("build_id").asText();
      orphan =
          Poll.until(
                  "the build process",
                  Duration.ofSeconds(30),
                  () -> SourceData.buildProcess(buildId),
                  Optional::isPresent)
              .orElseThrow();
      String waiting =
          api.post("/v1/datasets/waiting/versions", null).header("Location").orElseThrow();
      assertEquals("QUEUED", api.get(waiting).json().get("status").asText());

      Process first = started.get(0);
      first.destroyForcibly();
      first.waitFor();
      assertTrue(orphan.isAlive(), "a killed service cannot stop its build; the restart must");

      api = new Api(startService(root, catalogUrl, sourceUrl, "second"), null);
      JsonNode interrupted = api.get(slow).json();
      assertEquals("ERROR", interrupted.get("status").asText());
      assertEquals("interrupted", interrupted.get("error").get("type").asText());
      assertFalse(orphan.isAlive(), "the orphan build was stopped");
      assertFalse(Files.exists(root.resolve("artifacts/slow/.staging/" + buildId)));
      JsonNode ran = Versions.awaitStatus(api, waiting, BUILD, "COMPLETED", "ERROR");
      assertEquals("COMPLETED", ran.get("status").asText(), ran.toString());
    } finally {
      for (Process p : started) {
        p.destroy();
        p.waitFor();
      }
      if (orphan != null) {
        orphan.destroyForcibly();
      }
    }
  }

  /** Starts {@code java -jar amber-catalog.jar serve} and returns the port it listens on. */
  private int startService(Path root, String catalogUrl, String sourceUrl, String name)
      throws Exception {
    Path log = root.resolve(name + ".log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                System.getProperty("amber.catalog.jar", "target/amber-catalog.jar"),
                "serve",
                "--host=127.0.0.1",
                "--port=0",
                "--data-dir=" + root,
                "--output=" + root.resolve("artifacts").toUri(),
                "--catalog-url=" + catalogUrl,
                "--source",
                "src=" + sourceUrl,
                "--allow-writable-source=src", // the test source is reached as its superuser
                "--demo-mode=true",
                "--max-concurrent-builds=1",
                "--build-heap=256m",
                "--pipelines-jar=" + CatalogFixture.pipelinesJar().toAbsolutePath())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    started.add(process);
    String port =
        Poll.until(
            name + " service to listen",
            Duration.ofSeconds(60),
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(name + " service exited: " + read(log));
              }
              Matcher m = LISTENING.matcher(read(log));
              return m.find() ? m.group(1) : null;
            },
            p -> p != null);
    return Integer.parseInt(port);
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
