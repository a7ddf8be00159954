package org.amber.catalog.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.amber.catalog.domain.model.Scope;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.SourceData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTML pages over plain HTTP, against versions built for real: what a landing page holds, its
 * JSON-LD, its headers, hostile client text kept inert, and the 404, 410 and 401 pages.
 */
class PagesIT {
  static final String HOSTILE =
      "</script><script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"> & 'q'";
  private static final String HTML_ACCEPT = "text/html,application/xhtml+xml,*/*;q=0.8";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static CatalogFixture catalog;
  private static Api api;
  private static JsonNode items;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c);
    SourceData.load(catalog.sourceUrl());
    api = catalog.api();
    assertEquals(
        201,
        api.put(
                "/v1/datasets/items",
                "{\"source\":\"src\",\"query\":\"SELECT id, name, price FROM items WHERE id <="
                    + " 200\",\"formats\":[\"parquet\",\"csv.gz\",\"ndjson.gz\"],"
                    + "\"description\":\"Priced items\",\"license\":\"CC-BY-4.0\","
                    + "\"creators\":[{\"name\":\"Ada Lovelace\",\"affiliation\":\"Analytical"
                    + " Society\"}]}")
            .status());
    items = build("items");
    assertEquals(
        201,
        api.put(
                "/v1/datasets/hostile",
                "{\"source\":\"src\",\"query\":\"SELECT id FROM extra WHERE id <= 5\","
                    + "\"description\":"
                    + JSON.writeValueAsString(HOSTILE)
                    + ",\"creators\":[{\"name\":"
                    + JSON.writeValueAsString(HOSTILE)
                    + "}]}")
            .status());
    build("hostile");
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  static JsonNode build(String dataset) {
    Reply reply = api.post("/v1/datasets/" + dataset + "/versions", null, "Prefer", "wait=120");
    assertEquals(201, reply.status(), reply.toString());
    assertEquals("COMPLETED", reply.json().get("status").asText(), reply.toString());
    return reply.json();
  }

  private static Reply page(Api client, String path) {
    return client.get(path, "Accept", HTML_ACCEPT);
  }

  private static void assertPageHeaders(Reply reply) {
    assertTrue(reply.header("Content-Type").orElse("").startsWith("text/html"), reply.toString());
    String csp = reply.header("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    assertEquals("nosniff", reply.header("X-Content-Type-Options").orElse(""));
  }

  /** The JSON-LD block's text: everything up to the first {@code </script>}, as HTML reads it. */
  static String jsonLd(String html) {
    String open = "<script type=\"application/ld+json\" id=\"json-ld\">";
    int start = html.indexOf(open);
    assertTrue(start >= 0, "the page has JSON-LD");
    start += open.length();
    return html.substring(start, html.indexOf("</script>", start));
  }

  @Test
  void theLandingPageOfACompletedVersionHoldsWhatACitationNeeds() throws Exception {
    String digest = items.get("content_digest").asText();
    Reply reply = page(api, "/datasets/items/versions/1");
    assertEquals(200, reply.status(), reply.toString());
    assertPageHeaders(reply);
    String html = reply.body();
    assertTrue(html.contains("<html lang=\"en\">"), html);
    assertTrue(html.contains("Priced items"), html);
    assertTrue(html.contains("Ada Lovelace"), html);
    assertTrue(html.contains("CC-BY-4.0"), html);
    assertTrue(html.contains(items.get("citation").asText()), "the API's citation is on the page");
    for (String style : List.of("text", "bibtex", "cff", "datacite", "ris", "csl")) {
      assertTrue(html.contains("id=\"citation-" + style + "\""), "a " + style + " citation");
    }
    assertTrue(html.contains("@misc{") && html.contains("TY  - DATA"), "BibTeX and RIS texts");
    for (String column : List.of("id", "name", "price")) {
      assertTrue(html.contains("<td><code>" + column + "</code></td>"), column);
    }
    for (JsonNode file : items.get("files")) {
      assertTrue(html.contains(file.get("sha256").asText()), file.toString());
      assertTrue(html.contains(file.get("url").asText()), file.toString());
      assertTrue(
          html.contains(
              String.format(java.util.Locale.ROOT, "%,d bytes", file.get("bytes").asLong())),
          "exact size of " + file);
    }
    String version = "/v1/datasets/items/versions/1";
    for (String ext : List.of("parquet", "csv.gz", "ndjson.gz")) {
      assertTrue(html.contains("href=\"" + version + "/download/items." + ext + "\""), ext);
    }
    assertTrue(html.contains("href=\"" + version + "/SHA256SUMS\""), html);
    assertTrue(html.contains("href=\"" + version + "/manifest.json\""), html);
    assertFalse(html.contains("<progress"), "a finished build shows no progress bar");

    JsonNode ld = JSON.readTree(jsonLd(html));
    assertEquals("Dataset", ld.get("@type").asText());
    assertEquals("items", ld.get("name").asText());
    assertEquals("Priced items", ld.get("description").asText());
    assertEquals("1", ld.get("version").asText());
    assertEquals(digest, ld.get("identifier").asText());
    assertEquals("CC-BY-4.0", ld.get("license").asText());
    assertEquals("Ada Lovelace", ld.get("creator").get(0).get("name").asText());
    assertEquals(items.get("finished_at").asText(), ld.get("datePublished").asText());
    String base = "http://127.0.0.1:" + catalog.service().port();
    assertEquals(base + "/datasets/items/versions/1", ld.get("url").asText());
    assertEquals(3, ld.get("distribution").size());
    for (JsonNode d : ld.get("distribution")) {
      assertEquals("DataDownload", d.get("@type").asText());
      assertTrue(
          d.get("contentUrl").asText().startsWith(base + version + "/download/items."),
          d.toString());
      assertFalse(d.get("encodingFormat").asText().isEmpty(), d.toString());
      assertFalse(d.get("contentSize").asText().isEmpty(), d.toString());
    }
  }

  @Test
  void hostileClientTextIsEscapedEverywhere() throws Exception {
    for (String path :
        List.of("/", "/?q=script", "/datasets/hostile", "/datasets/hostile/versions/1")) {
      Reply reply = page(api, path);
      assertEquals(200, reply.status(), path);
      assertPageHeaders(reply);
      String html = reply.body();
      assertFalse(html.contains("<script>window.__pwned"), path + ": " + html);
      assertFalse(html.contains("<img src=x"), path);
      assertTrue(
          html.contains("&lt;/script&gt;&lt;script&gt;window.__pwned=1"), path + ": " + html);
    }
    String html = page(api, "/datasets/hostile/versions/1").body();
    String ld = jsonLd(html);
    assertFalse(ld.contains("<"), "no '<' inside the JSON-LD block: " + ld);
    // The same text comes back out of the JSON, so nothing was lost to the escaping.
    JsonNode parsed = JSON.readTree(ld);
    assertEquals(HOSTILE, parsed.get("description").asText());
    assertEquals(HOSTILE, parsed.get("creator").get(0).get("name").asText());
  }

  @Test
  void theDatasetPageListsVersionsAndNoConnection() {
    Reply reply = page(api, "/datasets/items");
    assertEquals(200, reply.status(), reply.toString());
    assertPageHeaders(reply);
    String html = reply.body();
    assertTrue(html.contains("href=\"/datasets/items/versions/1\""), html);
    assertTrue(html.contains(items.get("content_digest").asText()), html);
    assertTrue(html.contains("SELECT id, name, price FROM items"), html);
    assertTrue(html.contains("COMPLETED"), html);
    assertFalse(html.contains("jdbc:"), "the source's connection never shows");
    assertFalse(html.contains(catalog.sourceUrl()), "the source's connection never shows");
  }

  @Test
  void theIndexSearchesServerSideAndProgramsStillGetJson() {
    String all = page(api, "/").body();
    assertTrue(all.contains("href=\"/datasets/items\""), all);
    assertTrue(all.contains("href=\"/datasets/hostile\""), all);
    assertTrue(all.contains("href=\"/docs\""), "the API reference is a link away");
    String found = page(api, "/?q=PRICED").body();
    assertTrue(found.contains("href=\"/datasets/items\""), found);
    assertFalse(found.contains("href=\"/datasets/hostile\""), found);
    String none = page(api, "/?q=nothing-like-this").body();
    assertFalse(none.contains("href=\"/datasets/items\""), none);
    assertTrue(none.contains("No datasets match"), none);

    Reply json = api.get("/");
    assertEquals("application/json", json.header("Content-Type").orElse(""), json.toString());
    assertEquals("amber-catalog", json.json().get("service").asText());
  }

  @Test
  void unknownDatasetsAndVersionsAnswerA404Page() {
    for (String path :
        List.of("/datasets/nope", "/datasets/nope/versions/1", "/datasets/items/versions/99")) {
      Reply reply = page(api, path);
      assertEquals(404, reply.status(), path + ": " + reply);
      assertPageHeaders(reply);
      assertTrue(reply.body().contains("<h1>Not found</h1>"), reply.body());
    }
    Reply bad = page(api, "/datasets/items/versions/one");
    assertEquals(400, bad.status(), bad.toString());
    assertPageHeaders(bad);
  }

  @Test
  void aDeletedVersionIsATombstonePageWith410() {
    assertEquals(
        201,
        api.put("/v1/datasets/gone", "{\"source\":\"src\",\"query\":\"SELECT id FROM extra\"}")
            .status());
    JsonNode v = build("gone");
    assertEquals(204, api.delete(v.get("url").asText()).status());
    Reply reply = page(api, "/datasets/gone/versions/1");
    assertEquals(410, reply.status(), reply.toString());
    assertPageHeaders(reply);
    String html = reply.body();
    assertTrue(html.contains("DELETED"), html);
    assertTrue(html.contains(v.get("content_digest").asText()), "the metadata stays");
    assertFalse(html.contains("/download/"), "no downloads from a tombstone");
  }

  @Test
  void headIsGetWithoutTheBody() {
    for (String path : List.of("/datasets/items", "/datasets/items/versions/1", "/datasets/x")) {
      Reply get = page(api, path);
      Reply head = api.send("HEAD", path, null, null, "Accept", HTML_ACCEPT);
      assertEquals(get.status(), head.status(), path);
      assertEquals(
          get.header("Content-Length").orElse("get"),
          head.header("Content-Length").orElse("head"),
          path);
      assertEquals(get.header("Content-Type"), head.header("Content-Type"), path);
      assertEquals(0, head.bytes().length, path);
    }
  }

  @Test
  void assetsAreTheServicesOwnAndCachedForAYear() {
    String html = page(api, "/").body();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?:href|src)=\"(/assets/[^\"]+)\"").matcher(html);
    int found = 0;
    while (m.find()) {
      Reply asset = api.get(m.group(1));
      assertEquals(200, asset.status(), m.group(1));
      assertEquals("public, max-age=31536000, immutable", asset.header("Cache-Control").orElse(""));
      assertTrue(asset.bytes().length > 100, m.group(1));
      found++;
    }
    assertEquals(2, found, "one stylesheet and one script");
    assertEquals(404, api.get("/assets/pages.js").status());
  }

  @Test
  void aCatalogWhoseReadsNeedATokenAnswersA401Page() throws Exception {
    try (CatalogFixture closed =
        CatalogFixture.start(c -> c.toBuilder().publicRead(false).demoMode(false).build())) {
      Api anonymous = closed.api();
      for (String path : List.of("/", "/datasets/items", "/datasets/items/versions/1")) {
        Reply reply = page(anonymous, path);
        assertEquals(401, reply.status(), path + ": " + reply);
        assertPageHeaders(reply);
        assertTrue(reply.body().contains("requires a token for reads"), reply.body());
        assertTrue(reply.header("WWW-Authenticate").isPresent(), path);
      }
      Api reader = closed.api(closed.service().tokens().create(Scope.READ));
      assertEquals(200, page(reader, "/").status());
      assertEquals(404, page(reader, "/datasets/items").status());
    }
  }
}
