package org.amber.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.amber.catalog.domain.model.Scope;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /} and {@code /docs} over HTTP: open to anyone (on a catalog whose API needs a token; the
 * datasets page a browser gets at {@code /} is a read like the API's), every link and every file of
 * the page loads, and the page renders the service's own {@code /openapi.json} with nothing fetched
 * from elsewhere.
 */
class DocsTest {
  private static final Pattern REFERENCE = Pattern.compile("(?:href|src)=\"([^\"]+)\"");

  private static CatalogFixture catalog;
  private static Api anonymous;
  private static Api reader;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c.toBuilder().publicRead(false).demoMode(false).build());
    anonymous = catalog.api();
    reader = catalog.api(catalog.service().tokens().create(Scope.READ));
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void indexListsLinksThatResolve() {
    Reply index = anonymous.get("/");
    assertEquals(200, index.status(), index.toString());
    assertEquals("application/json", index.header("Content-Type").orElse(""));
    JsonNode body = index.json();
    assertEquals("amber-catalog", body.get("service").asText());
    assertTrue(body.has("version"), index.toString());
    List<String> links = new ArrayList<>();
    body.get("links").forEach(link -> links.add(link.asText()));
    assertEquals(List.of("/v1/datasets", "/docs", "/openapi.json", "/healthz", "/readyz"), links);
    for (String link : links) {
      assertEquals(200, reader.get(link).status(), link);
    }
  }

  @Test
  void aBrowserGetsTheDatasetsPageWhoseLinksResolve() {
    String browser = "text/html,application/xhtml+xml,*/*;q=0.8";
    // The datasets are reads: on this catalog a browser without a token is told why it cannot.
    Reply refused = anonymous.get("/", "Accept", browser);
    assertEquals(401, refused.status(), refused.toString());
    assertTrue(refused.header("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(refused.body().contains("requires a token for reads"), refused.body());
    Reply page = reader.get("/", "Accept", browser);
    assertEquals(200, page.status(), page.toString());
    assertTrue(page.header("Content-Type").orElse("").startsWith("text/html"), page.toString());
    assertEquals("Accept", page.header("Vary").orElse(""));
    List<String> links = references(page.body());
    assertTrue(links.contains("/docs"), links.toString());
    assertTrue(links.contains("/openapi.json"), links.toString());
    for (String link : links) {
      assertEquals(200, reader.get(link).status(), link);
    }
    Reply both = anonymous.get("/", "Accept", "text/html, application/json");
    assertEquals("application/json", both.header("Content-Type").orElse(""), both.toString());
  }

  @Test
  void docsPageLoadsItsFilesFromTheServiceAndRendersItsOpenApi() {
    Reply page = anonymous.get("/docs");
    assertEquals(200, page.status(), page.toString());
    assertTrue(page.header("Content-Type").orElse("").startsWith("text/html"), page.toString());
    List<String> references = references(page.body());
    // Without JavaScript, the page points at the document itself.
    assertTrue(references.contains("/openapi.json"), references.toString());
    List<String> files = references.stream().filter(r -> !r.equals("/openapi.json")).toList();
    assertTrue(files.contains("/docs/swagger-ui-bundle.js"), files.toString());
    assertTrue(files.contains("/docs/init.js"), files.toString());
    StringBuilder scripts = new StringBuilder();
    for (String file : files) {
      assertTrue(file.startsWith("/docs/"), "served by the catalog itself: " + file);
      Reply asset = anonymous.get(file);
      assertEquals(200, asset.status(), file);
      assertTrue(asset.bytes().length > 0, file);
      String type = asset.header("Content-Type").orElse("");
      String expected =
          file.endsWith(".js")
              ? "text/javascript"
              : file.endsWith(".css") ? "text/css" : "image/png";
      assertTrue(type.startsWith(expected), file + ": " + type);
      if (file.endsWith(".js")) {
        scripts.append(asset.body());
      }
    }
    assertTrue(scripts.toString().contains("SwaggerUIBundle"), "Swagger UI is among the scripts");
    assertTrue(scripts.toString().contains("url: \"/openapi.json\""), "it renders /openapi.json");
    assertEquals(200, anonymous.get("/openapi.json").status());
  }

  @Test
  void onlyThePagesOwnFilesAreServed() {
    for (String path : List.of("/docs/index.html", "/docs/swagger-initializer.js", "/docs/x")) {
      Reply reply = anonymous.get(path);
      assertEquals(404, reply.status(), path);
      assertTrue(
          reply.header("Content-Type").orElse("").startsWith("application/problem+json"), path);
    }
  }

  @Test
  void headIsGetWithoutTheBody() {
    for (String path : List.of("/", "/docs", "/docs/init.js", "/docs/swagger-ui-bundle.js")) {
      Reply get = anonymous.get(path);
      Reply head = anonymous.send("HEAD", path, null, null);
      assertEquals(200, get.status(), path);
      assertEquals(get.status(), head.status(), path);
      assertEquals(headers(get), headers(head), path);
      assertEquals(0, head.bytes().length, path);
    }
  }

  private static List<String> references(String html) {
    List<String> found = new ArrayList<>();
    Matcher matcher = REFERENCE.matcher(html);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }

  /** The headers that must match; Date is the only one allowed to differ. */
  private static Map<String, List<String>> headers(Reply reply) {
    Map<String, List<String>> headers = new TreeMap<>(reply.headers().map());
    headers.remove("date");
    return headers;
  }
}
