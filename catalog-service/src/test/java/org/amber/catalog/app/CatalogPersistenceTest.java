package org.amber.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.CatalogFixture;
import org.junit.jupiter.api.Test;

/**
 * The embedded catalog keeps its data under the data directory across restarts; lists page through
 * everything exactly once.
 */
class CatalogPersistenceTest {
  @Test
  void embeddedCatalogSurvivesARestartAndPagesCompletely() throws Exception {
    try (CatalogFixture catalog =
        CatalogFixture.start(c -> c.toBuilder().catalogUrl(null).build())) {
      Api api = catalog.api();
      for (int i = 0; i < 7; i++) {
        String body =
            "{\"source\":\"src\",\"query\":\"SELECT "
                + i
                + " AS n\",\"description\":\"number "
                + i
                + "\"}";
        assertEquals(201, api.put("/v1/datasets/kept-" + i, body).status());
      }
      assertEquals(
          200,
          api.put("/v1/datasets/kept-3", "{\"source\":\"src\",\"query\":\"SELECT 33 AS n\"}")
              .status());
      assertTrue(
          Files.isDirectory(catalog.config().embeddedCatalogDir().resolve("pgdata/base")),
          "PostgreSQL files under the data dir");

      catalog.restart();
      api = catalog.api();

      Set<String> seen = new HashSet<>();
      String token = null;
      int pages = 0;
      do {
        JsonNode page =
            api.get("/v1/datasets?limit=3" + (token == null ? "" : "&page_token=" + token)).json();
        page.get("datasets")
            .forEach(d -> assertTrue(seen.add(d.get("name").asText()), "seen once: " + d));
        token = page.get("next_page_token").isNull() ? null : page.get("next_page_token").asText();
        pages++;
      } while (token != null);
      assertEquals(7, seen.size());
      assertEquals(3, pages);
      JsonNode updated = api.get("/v1/datasets/kept-3").json();
      assertEquals("SELECT 33 AS n", updated.get("query").asText());
      assertTrue(updated.get("description").isNull(), "an update replaces the whole definition");
      assertNull(updated.get("latest").textValue());
    }
  }
}
