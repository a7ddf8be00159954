package org.amber.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /healthz}, {@code /readyz}, {@code /metrics}, and {@code /openapi.json} against the
 * routes.
 */
class OperationsTest {
  private static CatalogFixture catalog;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c);
    api = catalog.api();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void healthAndReadiness() {
    assertEquals(200, api.get("/healthz").status());
    Reply ready = api.get("/readyz");
    assertEquals(200, ready.status());
    assertEquals("ready", ready.json().get("status").asText());
  }

  @Test
  void metricsShowVersionsByStatusAndHttpLatencies() {
    api.get("/v1/datasets");
    Reply metrics = api.get("/metrics");
    assertEquals(200, metrics.status());
    assertTrue(metrics.header("Content-Type").orElse("").startsWith("text/plain"));
    String text = metrics.body();
    assertTrue(text.contains("amber_versions{status=\"COMPLETED\"} 0"), text);
    assertTrue(text.contains("amber_versions{status=\"QUEUED\"} 0"), text);
    assertTrue(
        text.contains(
            "amber_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/datasets\",status=\"200\"}"),
        text);
  }

  @Test
  void openApiDescribesExactlyTheRoutesServed() {
    Reply reply = api.get("/openapi.json");
    assertEquals(200, reply.status());
    JsonNode doc = reply.json();
    assertEquals("3.1.0", doc.get("openapi").asText());
    Set<String> documented = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
        String method = methods.next();
        if (!method.equals("parameters")) {
          documented.add(method.toUpperCase() + " " + path.getKey());
        }
      }
    }
    Set<String> served = new TreeSet<>();
    for (String endpoint : catalog.service().endpoints()) {
      // Javalin's <rest> (may hold slashes) is OpenAPI's {rest}.
      served.add(endpoint.replaceAll("<([a-z]+)>", "{$1}"));
    }
    assertEquals(served, documented);
    // Every documented path parameter is declared.
    doc.get("paths")
        .fields()
        .forEachRemaining(
            path -> {
              Set<String> declared = new TreeSet<>();
              path.getValue().path("parameters").forEach(p -> declared.add(p.get("name").asText()));
              java.util.regex.Matcher m =
                  java.util.regex.Pattern.compile("\\{([a-z]+)}").matcher(path.getKey());
              while (m.find()) {
                assertTrue(
                    declared.contains(m.group(1)), path.getKey() + " declares " + m.group(1));
              }
            });
    assertFalse(documented.isEmpty());
  }
}
