package org.amber.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.amber.catalog.domain.model.Scope;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.CatalogFixture;
import org.junit.jupiter.api.Test;

/** Reads can be public while writes still need a token; demo mode opens writes too. */
class PublicReadAndDemoModeTest {
  private static final String DEFINITION = "{\"source\":\"src\",\"table\":\"public.items\"}";

  @Test
  void publicReadsButTokenWrites() throws Exception {
    try (CatalogFixture catalog =
        CatalogFixture.start(c -> c.toBuilder().publicRead(true).demoMode(false).build())) {
      Api anonymous = catalog.api();
      assertEquals(200, anonymous.get("/v1/datasets").status());
      assertEquals(401, anonymous.put("/v1/datasets/x", DEFINITION).status());
      Api reader = catalog.api(catalog.service().tokens().create(Scope.READ));
      assertEquals(403, reader.put("/v1/datasets/x", DEFINITION).status());
      Api writer = catalog.api(catalog.service().tokens().create(Scope.WRITE));
      assertEquals(201, writer.put("/v1/datasets/x", DEFINITION).status());
      assertEquals(200, anonymous.get("/v1/datasets/x").status());
    }
  }

  @Test
  void demoModeNeedsNoTokenButStillRejectsAWrongOne() throws Exception {
    try (CatalogFixture catalog =
        CatalogFixture.start(c -> c.toBuilder().publicRead(false).demoMode(true).build())) {
      Api anonymous = catalog.api();
      assertEquals(201, anonymous.put("/v1/datasets/demo", DEFINITION).status());
      assertEquals(204, anonymous.delete("/v1/datasets/demo").status());
      assertEquals(401, anonymous.withToken("amber_typo").get("/v1/datasets").status());
    }
  }
}
