package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.CatalogFixture;
import org.junit.jupiter.api.Test;

/** A build that runs out of memory ends ERROR; the service, in its own JVM, carries on. */
class OutOfMemoryIT {
  @Test
  void anOutOfMemoryBuildFailsAloneAndTheServiceCarriesOn() throws Exception {
    try (CatalogFixture catalog =
        CatalogFixture.start(c -> c.toBuilder().buildHeap("12m").build())) {
      Api api = catalog.api();
      assertEquals(
          201,
          api.put(
                  "/v1/datasets/big",
                  "{\"source\":\"src\",\"query\":\"SELECT g FROM generate_series(1, 100000) g\"}")
              .status());
      Api.Reply reply = api.post("/v1/datasets/big/versions", null, "Prefer", "wait=120");
      assertEquals(201, reply.status(), reply.toString());
      JsonNode failed = reply.json();
      assertEquals("ERROR", failed.get("status").asText());
      assertEquals("out_of_memory", failed.get("error").get("type").asText());
      assertTrue(failed.get("error").get("message").asText().contains("memory"));
      assertEquals(200, api.get("/healthz").status());
      assertEquals(200, api.get("/readyz").status());
      assertEquals(200, api.get("/v1/datasets/big").status());
    }
  }
}
