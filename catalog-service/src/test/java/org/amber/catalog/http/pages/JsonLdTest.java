package org.amber.catalog.http.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON-LD a landing page embeds: no character that HTML reads, and nothing lost. */
class JsonLdTest {
  private static final String HOSTILE = "</script><!-- <script>alert(1)</script> & \u2028 \"q\"";

  @Test
  void clientTextCannotLeaveTheScriptElementAndReadsBackUnchanged() throws Exception {
    String json =
        JsonLd.of(
            new JsonLd.DatasetFacts(
                "d",
                HOSTILE,
                3,
                List.of(new PageViews.CreatorView(HOSTILE, "<b>", null)),
                "CC0-1.0",
                "2026-01-01T00:00:00Z",
                "sha256:00",
                "http://127.0.0.1:8080/datasets/d/versions/3",
                List.of(new JsonLd.Distribution("http://x/d.parquet", "application/x", "1 KiB"))));
    for (String markup : List.of("<", ">", "&")) {
      assertFalse(json.contains(markup), markup + " in " + json);
    }
    JsonNode read = new ObjectMapper().readTree(json);
    assertEquals(HOSTILE, read.get("description").asText());
    assertEquals(HOSTILE, read.get("creator").get(0).get("name").asText());
    assertEquals("<b>", read.get("creator").get(0).get("affiliation").get("name").asText());
    assertEquals("3", read.get("version").asText());
    assertEquals("DataDownload", read.get("distribution").get(0).get("@type").asText());
  }

  @Test
  void aVersionWithoutDescriptionStillDescribesItself() throws Exception {
    String json =
        JsonLd.of(
            new JsonLd.DatasetFacts(
                "d",
                null,
                1,
                List.of(),
                null,
                null,
                null,
                "http://h/datasets/d/versions/1",
                List.of()));
    JsonNode read = new ObjectMapper().readTree(json);
    assertEquals("Dataset d, version 1", read.get("description").asText());
    assertFalse(read.has("license"));
  }
}
