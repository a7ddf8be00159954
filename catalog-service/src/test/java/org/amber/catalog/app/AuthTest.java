package org.amber.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.amber.catalog.domain.model.Scope;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.CatalogFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bearer tokens with scopes: 401 without a valid one, 403 with too small a scope. */
class AuthTest {
  private static final String DEFINITION = "{\"source\":\"src\",\"table\":\"public.items\"}";
  private static CatalogFixture catalog;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c.toBuilder().publicRead(false).demoMode(false).build());
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void withoutATokenNothingButOperationsAnswers() {
    Api anonymous = catalog.api();
    Api.Reply reply = anonymous.get("/v1/datasets");
    assertEquals(401, reply.status());
    assertEquals("application/problem+json", reply.header("Content-Type").orElse(""));
    assertTrue(reply.header("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertEquals(401, anonymous.put("/v1/datasets/open", DEFINITION).status());
    assertEquals(401, anonymous.withToken("amber_not-a-real-token").get("/v1/datasets").status());
    assertEquals(
        401, anonymous.get("/v1/datasets", "Authorization", "Basic dXNlcjpwYXNz").status());
    assertEquals(200, anonymous.get("/healthz").status());
    assertEquals(200, anonymous.get("/openapi.json").status());
  }

  @Test
  void scopesNest() {
    Api reader = catalog.api(catalog.service().tokens().create(Scope.READ));
    Api writer = catalog.api(catalog.service().tokens().create(Scope.WRITE));
    Api admin = catalog.api(catalog.service().tokens().create(Scope.ADMIN));

    assertEquals(403, reader.put("/v1/datasets/scoped", DEFINITION).status());
    assertEquals(201, writer.put("/v1/datasets/scoped", DEFINITION).status());
    assertEquals(200, reader.get("/v1/datasets/scoped").status());
    assertEquals(200, admin.get("/v1/datasets/scoped").status());

    Api.Reply forbidden = writer.delete("/v1/datasets/scoped");
    assertEquals(403, forbidden.status());
    assertTrue(forbidden.json().get("detail").asText().contains("admin"));
    assertEquals(204, admin.delete("/v1/datasets/scoped").status());
    assertEquals(404, reader.get("/v1/datasets/scoped").status());
  }

  @Test
  void tokenCreateCommandPrintsATokenOnceAndStoresOnlyItsHash() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      exit =
          new CommandLine(new CatalogCli())
              .execute(
                  "token",
                  "create",
                  "--scope",
                  "write",
                  "--catalog-url",
                  catalog.config().catalogUrl());
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, exit);
    String token = printed.toString(StandardCharsets.UTF_8).trim();
    assertTrue(token.startsWith("amber_") && token.length() > 40, token);

    Api writer = catalog.api(token);
    assertEquals(201, writer.put("/v1/datasets/by-cli-token", DEFINITION).status());
    assertEquals(403, writer.delete("/v1/datasets/by-cli-token").status());

    try (Connection c = DriverManager.getConnection(catalog.config().catalogUrl());
        ResultSet r = c.createStatement().executeQuery("SELECT token_hash, scope FROM tokens")) {
      int rows = 0;
      while (r.next()) {
        rows++;
        assertFalse(r.getString(1).contains(token.substring(6)), "the token itself is not stored");
        assertEquals(64, r.getString(1).length());
      }
      assertTrue(rows >= 1);
    }
  }
}
