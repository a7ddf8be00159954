package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.ServiceProcess;
import org.amber.catalog.testing.SourceData;
import org.amber.catalog.testing.Versions;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * A build's process shows neither the source's passwords nor the client's query on its command line
 * (any local user can read it), and a query far beyond the kernel's argument limit for one string
 * (128 KiB) builds, multi-byte characters intact.
 */
class QueryOffTheCommandLineIT {
  private static final Duration BUILD = Duration.ofMinutes(2);
  private static final String URL_SECRET = "url-secret-7f3a";
  private static final String ENV_SECRET = "env-secret-91c2";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void secretsAndTheQueryReachTheBuildOffItsCommandLine() throws Exception {
    String sourceUrl = TestPostgres.freshDatabase("source");
    SourceData.load(sourceUrl);
    String readerUrl = TestPostgres.readerUrl(sourceUrl);
    String withPassword =
        readerUrl + (readerUrl.contains("?") ? "&" : "?") + "password=" + URL_SECRET;
    Path root = Files.createTempDirectory("amber-argv");
    // About 200 KiB of UTF-8: 2- and 3-byte characters.
    String text = "Grüße, €uro – ".repeat(12_000);
    String query =
        "SELECT n, '" + text + "' AS s FROM (SELECT slow(g) AS n FROM generate_series(1, 60) g) t";
    assertTrue(query.getBytes(StandardCharsets.UTF_8).length > 200 * 1024);

    try (ServiceProcess service =
        ServiceProcess.start(
            root.resolve("serve.log"),
            Map.of("AMBER_SOURCE_SRC_PASSWORD", ENV_SECRET),
            "--port=0",
            "--data-dir=" + root,
            "--catalog-url=" + TestPostgres.freshDatabase("catalog"),
            "--demo-mode=true",
            "--source",
            "src=" + withPassword,
            "--build-heap=256m",
            "--pipelines-jar=" + CatalogFixture.pipelinesJar().toAbsolutePath())) {
      Api api = new Api(service.awaitListening(Duration.ofSeconds(60)), null);
      ObjectNode definition =
          JsonNodeFactory.instance.objectNode().put("source", "src").put("query", query);
      Api.Reply defined = api.put("/v1/datasets/long", definition.toString());
      assertEquals(
          201,
          defined.status(),
          defined.toString().substring(0, Math.min(600, defined.toString().length())));
      String version =
          api.post("/v1/datasets/long/versions", null).header("Location").orElseThrow();
      Versions.RunningBuild running = Versions.awaitBuildProcess(api, version, BUILD);
      String buildId = running.buildId();
      ProcessHandle child = running.process();
      String cmdline =
          new String(
              Files.readAllBytes(Path.of("/proc/" + child.pid() + "/cmdline")),
              StandardCharsets.UTF_8);
      String arguments = String.join(" ", child.info().arguments().orElseThrow());
      for (String argv : new String[] {cmdline, arguments}) {
        assertTrue(argv.contains("--build-id=" + buildId), argv);
        assertFalse(argv.contains(URL_SECRET), "the URL's password is on the command line");
        assertFalse(argv.contains(ENV_SECRET), "the source password is on the command line");
        assertFalse(argv.contains("jdbc:"), "the source URL is on the command line");
        assertFalse(
            argv.contains("generate_series") || argv.contains("Grüße"),
            "the query is on the command line");
      }

      JsonNode built = Versions.awaitStatus(api, version, BUILD, "COMPLETED", "ERROR");
      assertEquals("COMPLETED", built.get("status").asText(), built.toString());
      assertEquals(60, built.get("rows").asLong());
      JsonNode record = JSON.readTree(root.resolve("long/builds/" + buildId + ".json").toFile());
      assertTrue(record.get("sql").asText().contains(query), "the query arrived intact");

      // The edge still bounds what a client may send: one readable 4xx, not a failed process.
      ObjectNode huge =
          JsonNodeFactory.instance
              .objectNode()
              .put("source", "src")
              .put("query", "SELECT '" + "x".repeat(1_100_000) + "'");
      Api.Reply tooLarge = api.put("/v1/datasets/huge", huge.toString());
      assertEquals(413, tooLarge.status(), tooLarge.toString());
      assertTrue(tooLarge.header("Content-Type").orElse("").startsWith("application/problem+json"));
    }
  }
}
