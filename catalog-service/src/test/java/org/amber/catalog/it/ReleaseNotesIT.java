package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.SourceData;
import org.amber.catalog.testing.Versions;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real builds of one dataset: the second version shows the rows its build counted as added,
 * removed and changed against the first, and release notes from the two manifests.
 */
class ReleaseNotesIT {
  private static final Duration BUILD = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static CatalogFixture catalog;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c);
    SourceData.load(catalog.sourceUrl());
    api = catalog.api();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  private JsonNode build() throws Exception {
    String location =
        api.post("/v1/datasets/items/versions", null).header("Location").orElseThrow();
    JsonNode done = Versions.awaitStatus(api, location, BUILD, "COMPLETED", "ERROR");
    assertEquals("COMPLETED", done.get("status").asText(), done.toString());
    return done;
  }

  @Test
  void theSecondVersionShowsItsChangesAndReleaseNotes() throws Exception {
    assertEquals(
        201,
        api.put(
                "/v1/datasets/items",
                "{\"source\":\"src\",\"table\":\"public.items\",\"partitions\":2}")
            .status());
    JsonNode first = build();
    assertTrue(first.get("changes").isNull(), first.toString());
    JsonNode firstNotes = first.get("release_notes");
    assertEquals(3000, firstNotes.get("rows").asLong());
    assertTrue(firstNotes.get("compared_with").isNull(), firstNotes.toString());

    TestPostgres.execute(
        catalog.sourceUrl(),
        "DELETE FROM items WHERE id IN (5, 1500, 2999)",
        "UPDATE items SET name = 'renamed' WHERE id IN (1, 2, 1501, 3000)",
        "INSERT INTO items SELECT g, 'new', 1 FROM generate_series(4001, 4010) g",
        "ALTER TABLE items ADD COLUMN colour text",
        "ALTER TABLE items ALTER COLUMN price TYPE numeric(12,2)");
    assertEquals(
        200,
        api.put(
                "/v1/datasets/items",
                "{\"source\":\"src\",\"table\":\"public.items\",\"partitions\":3}")
            .status());
    JsonNode second = build();

    assertEquals(
        JSON.readTree(
            "{\"available\":true,\"compared_with\":1,\"key\":\"id\",\"added\":10,\"removed\":3,"
                + "\"changed\":4}"),
        second.get("changes"),
        second.toString());
    JsonNode notes = second.get("release_notes");
    assertEquals(3007, notes.get("rows").asLong());
    assertEquals(1, notes.get("compared_with").asInt());
    assertEquals(7, notes.get("rows_delta").asLong());
    assertEquals(
        notes.get("bytes").asLong() - firstNotes.get("bytes").asLong(),
        notes.get("bytes_delta").asLong());
    assertEquals(second.get("changes"), notes.get("changes"));
    assertEquals(
        JSON.readTree(
            "{\"columns_added\":[\"colour\"],\"columns_removed\":[],\"columns_retyped\":"
                + "[{\"name\":\"price\",\"from\":\"decimal(10,2)\",\"to\":\"decimal(12,2)\"}]}"),
        notes.get("schema_changes"));
    // the list of versions shows the same
    JsonNode listed = api.get("/v1/datasets/items/versions").json();
    assertEquals(
        second.get("changes"), listed.get("versions").get(0).get("changes"), listed.toString());
    // and so does the landing page a citation points at
    String page =
        api.get("/datasets/items/versions/2", "Accept", "text/html").body().replaceAll("\\s+", " ");
    for (String shown :
        List.of(
            "Changes since <a href=\"/datasets/items/versions/1\">version 1</a>",
            "<dt>Rows added</dt><dd>10</dd>",
            "<dt>Rows removed</dt><dd>3</dd>",
            "<dt>Rows changed</dt><dd>4</dd>",
            "Columns added: <code>colour</code>",
            "Columns retyped: <code>price (decimal(10,2) → decimal(12,2))</code>")) {
      assertTrue(page.contains(shown), shown + " in " + page);
    }
  }
}
