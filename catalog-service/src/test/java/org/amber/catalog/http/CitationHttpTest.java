package org.amber.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.amber.catalog.domain.citation.CitationStyle;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.CitationParsers;
import org.amber.catalog.testing.RawHttp;
import org.amber.catalog.testing.SourceData;
import org.amber.catalog.testing.Versions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Citations over HTTP: {@code …/citation?style=} and content negotiation on the version URL, each
 * style read back by its own parser, with a configured {@code --public-url}.
 */
class CitationHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PUBLIC_URL = "https://data.example.org/amber";
  private static final String LANDING = PUBLIC_URL + "/datasets/compound/versions/1";
  private static final String VERSION = "/v1/datasets/compound/versions/1";
  private static final String CITATION = VERSION + "/citation";

  private static CatalogFixture catalog;
  private static Api api;
  private static String digest;
  private static String published;
  private static String tombstone;

  @BeforeAll
  static void start() throws Exception {
    // A trailing slash is taken off; the landing page URLs are built under this.
    catalog = CatalogFixture.start(c -> c.toBuilder().publicUrl(PUBLIC_URL + "/").build());
    SourceData.load(catalog.sourceUrl());
    api = catalog.api();
    define("compound", definition(List.of("Lovelace, Ada", "Amber Lab"), "CC-BY-4.0", "Items."));
    define("gone", definition(List.of("Doe, Jane"), "MIT", null));
    String built = start("compound");
    tombstone = start("gone");
    var version = Versions.awaitStatus(api, built, Duration.ofSeconds(180), "COMPLETED");
    Versions.awaitStatus(api, tombstone, Duration.ofSeconds(180), "COMPLETED");
    digest = version.get("content_digest").asText();
    published =
        Instant.parse(version.get("finished_at").asText())
            .atZone(ZoneOffset.UTC)
            .toLocalDate()
            .toString();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  private static ObjectNode definition(List<String> creators, String license, String description) {
    ObjectNode d = JSON.createObjectNode().put("source", "src").put("table", "public.extra");
    ArrayNode list = d.putArray("creators");
    for (String name : creators) {
      ObjectNode c = list.addObject().put("name", name);
      if (name.startsWith("Lovelace")) {
        c.put("affiliation", "Analytical Engines").put("identifier", "0000-0002-1825-0097");
      }
    }
    d.put("license", license);
    d.put("description", description);
    return d;
  }

  private static void define(String name, ObjectNode definition) {
    Reply put = api.put("/v1/datasets/" + name, definition.toString());
    assertTrue(put.status() == 200 || put.status() == 201, put.toString());
  }

  private static String start(String name) {
    Reply started = api.post("/v1/datasets/" + name + "/versions", null);
    assertEquals(202, started.status(), started.toString());
    return started.header("Location").orElseThrow();
  }

  /** The answer is this style's citation of version 1 of compound, with everything in it. */
  private static CitationParsers.Parsed assertCitation(CitationStyle style, Reply reply) {
    assertEquals(200, reply.status(), reply.toString());
    assertEquals(
        style.contentType().replace(" ", ""),
        reply.header("Content-Type").orElseThrow().replace(" ", "").toLowerCase(Locale.ROOT),
        style.key());
    assertEquals(
        "inline; filename=\"" + style.fileName("compound", 1) + "\"",
        reply.header("Content-Disposition").orElseThrow());
    CitationParsers.Parsed p = CitationParsers.parse(style, reply.body());
    String where = style.key() + ":\n" + reply.body();
    assertEquals("compound", p.title(), where);
    CitationParsers.assertCreators(
        style, List.of("Lovelace, Ada", "Amber Lab"), p.creators(), where);
    assertEquals("1", p.version(), where);
    assertEquals(published, p.date(), where);
    assertTrue(p.license().contains("CC-BY-4.0"), where);
    assertEquals(LANDING, p.url(), where);
    assertTrue(p.digest().contains(digest), where);
    return p;
  }

  @Test
  void everyStyleByQueryParameterAndByAccept() {
    for (CitationStyle style : CitationStyle.values()) {
      Reply byStyle = api.get(CITATION + "?style=" + style.key());
      assertCitation(style, byStyle);
      Reply byAccept = api.get(VERSION, "Accept", style.mediaType());
      assertCitation(style, byAccept);
      assertEquals(byStyle.body(), byAccept.body(), style.key());
      assertEquals("Accept", byAccept.header("Vary").orElse(null), style.key());
    }
  }

  @Test
  void withoutAStyleTheCitationIsBibtex() {
    Reply reply = api.get(CITATION);
    assertCitation(CitationStyle.BIBTEX, reply);
    assertEquals(api.get(CITATION + "?style=bibtex").body(), reply.body());
    assertEquals(api.get(CITATION + "?style=BibTeX").body(), reply.body(), "any case");
  }

  @Test
  void anUnknownStyleIsABadRequestNamingTheStyles() {
    for (String style : List.of("mla", "", "bibtex%0A", "../../etc")) {
      Reply reply = api.get(CITATION + "?style=" + style);
      assertEquals(400, reply.status(), style + ": " + reply);
      assertEquals("application/problem+json", reply.header("Content-Type").orElseThrow());
      String detail = reply.json().get("detail").asText();
      for (CitationStyle known : CitationStyle.values()) {
        assertTrue(detail.contains(known.key()), detail);
      }
    }
  }

  @Test
  void theVersionJsonCarriesTheTextCitation() {
    String text = api.get(CITATION + "?style=text").body();
    assertEquals(text, api.get(VERSION).json().get("citation").asText());
    assertEquals(
        text, api.get("/v1/datasets/compound").json().get("latest").get("citation").asText());
    assertTrue(text.contains(LANDING) && text.contains(digest), text);
  }

  @Test
  void acceptIsNegotiatedWithQValuesAndJsonIsTheDefault() {
    Map<String, String> cases = new TreeMap<>();
    String json = "json";
    cases.put("*/*", json);
    cases.put("application/json", json);
    cases.put("application/*", json);
    cases.put("text/*", json);
    cases.put("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", json);
    cases.put("image/png", json);
    cases.put("application/x-bibtex", "bibtex");
    cases.put("APPLICATION/X-BIBTEX", "bibtex");
    cases.put("application/x-research-info-systems; charset=utf-8", "ris");
    cases.put("application/x-bibtex;q=0.5, application/vnd.citationstyles.csl+json", "csl");
    cases.put("application/json;q=0.9, application/x-bibtex", "bibtex");
    cases.put("application/x-bibtex;q=0.5, application/json", json);
    cases.put("application/x-bibtex;q=0.5, */*;q=0.1", "bibtex");
    cases.put("application/x-bibtex, application/json", json);
    cases.put("application/x-bibtex;q=0", json);
    cases.put("application/x-bibtex;q=1.5", json);
    cases.put("application/x-bibtex;q=abc, application/x-cff;q=0.2", "cff");
    cases.put("application/vnd.datacite.datacite+json;q=0.8,text/x-bibliography;q=0.9", "text");
    cases.put(",;,/,x/,/y", json);
    cases.forEach(
        (accept, expected) -> {
          Reply reply = api.get(VERSION, "Accept", accept);
          assertEquals(200, reply.status(), accept + ": " + reply);
          assertEquals("Accept", reply.header("Vary").orElse(null), accept);
          String type = reply.header("Content-Type").orElseThrow();
          if (expected.equals(json)) {
            assertTrue(type.startsWith("application/json"), accept + " → " + type);
            assertEquals(1, reply.json().get("version").asInt(), accept);
          } else {
            assertCitation(CitationStyle.byKey(expected).orElseThrow(), reply);
          }
        });
    Reply none = api.get(VERSION);
    assertTrue(none.header("Content-Type").orElseThrow().startsWith("application/json"));
    assertEquals("Accept", none.header("Vary").orElse(null));
  }

  @Test
  void hostileCreatorsDescriptionAndLicenceSurviveEveryStyle() {
    try {
      for (String hostile : CitationParsers.HOSTILE) {
        ObjectNode d = JSON.createObjectNode().put("source", "src").put("table", "public.extra");
        ArrayNode creators = d.putArray("creators");
        ObjectNode first = creators.addObject().put("name", hostile);
        if (hostile.length() < 1000) {
          first.put("affiliation", hostile).put("identifier", hostile);
        }
        creators.addObject().put("name", "Doe, " + hostile);
        d.put("license", hostile).put("description", hostile);
        define("compound", d);
        for (CitationStyle style : CitationStyle.values()) {
          Reply reply = api.get(CITATION + "?style=" + style.key());
          assertEquals(200, reply.status(), reply.toString());
          CitationParsers.Parsed p = CitationParsers.parse(style, reply.body());
          String expected = CitationParsers.asParsed(style, hostile);
          String where =
              style.key() + " of " + CitationParsers.show(hostile) + ":\n" + reply.body();
          CitationParsers.assertCreators(
              style,
              List.of(expected, CitationParsers.asParsed(style, "Doe, " + hostile)),
              p.creators(),
              where);
          assertTrue(p.license().contains(expected), where);
          assertEquals("compound", p.title(), where);
          assertEquals(LANDING, p.url(), where);
          assertTrue(p.digest().contains(digest), where);
        }
      }
    } finally {
      define("compound", definition(List.of("Lovelace, Ada", "Amber Lab"), "CC-BY-4.0", "Items."));
    }
  }

  @Test
  void aVersionWithoutContentHasNoCitation() {
    Reply defined =
        api.put(
            "/v1/datasets/slow",
            "{\"source\":\"src\",\"query\":\"" + SourceData.SLOW_QUERY + "\"}");
    assertEquals(201, defined.status(), defined.toString());
    String building = start("slow");
    try {
      Reply citation = api.get(building + "/citation?style=ris");
      assertEquals(409, citation.status(), citation.toString());
      assertEquals("application/problem+json", citation.header("Content-Type").orElseThrow());
      assertTrue(citation.json().get("detail").asText().contains("no content to cite"));
      Reply onlyBibtex = api.get(building, "Accept", "application/x-bibtex");
      assertEquals(409, onlyBibtex.status(), onlyBibtex.toString());
      Reply orJson = api.get(building, "Accept", "application/x-bibtex, application/json;q=0.5");
      assertEquals(200, orJson.status(), orJson.toString());
      assertTrue(orJson.json().get("citation").isNull(), orJson.toString());
    } finally {
      api.post(building + ":cancel", null);
    }
  }

  @Test
  void aTombstoneIsStillCitable() {
    String before = api.get(tombstone + "/citation?style=datacite").body();
    Reply deleted = api.delete(tombstone);
    assertEquals(204, deleted.status(), deleted.toString());
    assertEquals("DELETED", api.get(tombstone).json().get("status").asText());
    assertEquals(410, api.get(tombstone + "/manifest.json").status(), "artifacts are gone");
    Reply after = api.get(tombstone + "/citation?style=datacite");
    assertEquals(200, after.status(), after.toString());
    assertEquals(before, after.body());
    assertEquals(200, api.get(tombstone, "Accept", "application/x-bibtex").status());
  }

  @Test
  void missingVersionsAndBadNumbers() {
    assertEquals(404, api.get("/v1/datasets/compound/versions/99/citation").status());
    assertEquals(404, api.get("/v1/datasets/nothing/versions/1/citation").status());
    assertEquals(400, api.get("/v1/datasets/compound/versions/x/citation").status());
    assertEquals(
        404, api.get("/v1/datasets/compound/versions/99", "Accept", "application/x-cff").status());
  }

  @Test
  void headIsGetWithoutTheBody() {
    List<String[]> requests = new ArrayList<>();
    requests.add(new String[] {CITATION + "?style=cff"});
    requests.add(new String[] {VERSION, "Accept", "application/x-research-info-systems"});
    requests.add(new String[] {VERSION, "Accept", "application/json"});
    for (String[] r : requests) {
      String[] headers = java.util.Arrays.copyOfRange(r, 1, r.length);
      Reply get = api.get(r[0], headers);
      Reply head = api.send("HEAD", r[0], null, null, headers);
      assertEquals(200, head.status());
      Map<String, List<String>> getHeaders = new TreeMap<>(get.headers().map());
      Map<String, List<String>> headHeaders = new TreeMap<>(head.headers().map());
      getHeaders.remove("date");
      headHeaders.remove("date");
      assertEquals(getHeaders, headHeaders, r[0]);
      assertEquals(0, head.bytes().length);
    }
  }

  @Test
  void aHostileHostHeaderDoesNotMoveTheLandingPage() {
    RawHttp.Answer answer =
        RawHttp.send(
            catalog.service().port(),
            "GET "
                + CITATION
                + "?style=ris HTTP/1.1\r\nHost: evil.example\r\nX-Forwarded-Host: evil.example\r\n"
                + "X-Forwarded-Proto: http\r\nConnection: close\r\n\r\n");
    assertEquals(200, answer.status(), answer.toString());
    assertTrue(answer.body().contains("UR  - " + LANDING + "\r\n"), answer.body());
    assertTrue(!answer.body().contains("evil"), answer.body());
  }
}
