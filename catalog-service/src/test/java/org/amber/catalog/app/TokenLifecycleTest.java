package org.amber.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.amber.catalog.domain.model.Scope;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens can be listed (never their secrets) and revoked, over HTTP and by {@code amber token} run
 * as a separate process against the running service's catalog; a revoked token fails the very next
 * request.
 */
class TokenLifecycleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static CatalogFixture catalog;
  private static Api admin;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c.toBuilder().publicRead(false).demoMode(false).build());
    admin = catalog.api(catalog.service().tokens().create(Scope.ADMIN));
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  /** The result of one {@code amber token …} run in its own JVM. */
  private record Run(int exit, String stdout, String stderr) {}

  private static Run cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.amber.catalog.app.CatalogCli");
    command.add("token");
    command.addAll(List.of(args));
    command.add("--catalog-url");
    command.add(catalog.config().catalogUrl());
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI ended");
    return new Run(
        process.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void createListAndRevokeOverHttp() {
    Reply created = admin.post("/v1/tokens", "{\"scope\":\"write\",\"name\":\"ci pipeline\"}");
    assertEquals(201, created.status(), created.toString());
    String secret = created.json().get("token").asText();
    String id = created.json().get("id").asText();
    assertTrue(secret.startsWith("amber_"), created.toString());
    assertEquals("write", created.json().get("scope").asText());

    Api writer = catalog.api(secret);
    assertEquals(200, writer.get("/v1/datasets").status());

    Reply list = admin.get("/v1/tokens");
    assertEquals(200, list.status(), list.toString());
    assertFalse(list.body().contains(secret.substring(6)), "no secret in the list: " + list);
    JsonNode listed = find(list.json().get("tokens"), id);
    assertEquals("ci pipeline", listed.get("name").asText());
    assertEquals("write", listed.get("scope").asText());
    assertFalse(listed.get("created_at").isNull());
    assertFalse(listed.get("last_used_at").isNull(), "its use was recorded: " + listed);
    assertFalse(listed.has("token") || listed.has("token_hash"), listed.toString());
    // Last use is kept to the minute: more requests now are no more writes.
    assertEquals(200, writer.get("/v1/datasets").status());
    JsonNode relisted = find(admin.get("/v1/tokens").json().get("tokens"), id);
    assertEquals(listed.get("last_used_at"), relisted.get("last_used_at"));

    assertEquals(403, writer.get("/v1/tokens").status(), "tokens are for admins");
    assertEquals(403, writer.delete("/v1/tokens/" + id).status());
    assertEquals(204, admin.delete("/v1/tokens/" + id).status());
    assertEquals(401, writer.get("/v1/datasets").status(), "revoked: refused at the next request");
    assertEquals(404, admin.delete("/v1/tokens/" + id).status(), "already revoked");
    assertEquals(404, admin.delete("/v1/tokens/no-such-id").status());
    assertFalse(admin.get("/v1/tokens").body().contains(id), "a revoked token is not listed");
  }

  @Test
  void badCreateRequestsAre422() {
    Reply noScope = admin.post("/v1/tokens", "{\"name\":\"x\"}");
    assertEquals(422, noScope.status(), noScope.toString());
    assertEquals("scope", noScope.json().get("field").asText());
    Reply badScope = admin.post("/v1/tokens", "{\"scope\":\"root\"}");
    assertEquals(422, badScope.status(), badScope.toString());
    assertEquals("scope", badScope.json().get("field").asText());
    Reply longName =
        admin.post("/v1/tokens", "{\"scope\":\"read\",\"name\":\"" + "n".repeat(101) + "\"}");
    assertEquals(422, longName.status(), longName.toString());
    assertEquals("name", longName.json().get("field").asText());
  }

  @Test
  void revokeByTheCommandInAnotherProcessCountsAtTheNextRequest() throws Exception {
    Run created = cli("create", "--scope", "read", "--name", "laptop");
    assertEquals(0, created.exit(), created.toString());
    String secret = created.stdout().trim();
    Api reader = catalog.api(secret);
    assertEquals(200, reader.get("/v1/datasets").status());

    Run table = cli("list");
    assertEquals(0, table.exit(), table.toString());
    assertTrue(
        table.stdout().contains("laptop") && table.stdout().contains("LAST USED"), table.stdout());
    assertFalse(table.stdout().contains(secret.substring(6)), "no secret in the list");

    Run json = cli("list", "--json");
    assertEquals(0, json.exit(), json.toString());
    assertFalse(json.stdout().contains(secret.substring(6)), "no secret in the list");
    String id = null;
    for (JsonNode t : JSON.readTree(json.stdout()).get("tokens")) {
      if ("laptop".equals(t.get("name").asText())) {
        id = t.get("id").asText();
        assertEquals("read", t.get("scope").asText());
        assertFalse(t.get("last_used_at").isNull(), "used once already: " + t);
      }
    }
    assertNotNull(id, json.stdout());

    Run revoked = cli("revoke", id);
    assertEquals(0, revoked.exit(), revoked.toString());
    assertEquals(
        401, reader.get("/v1/datasets").status(), "revoked by another process: refused at once");

    Run again = cli("revoke", id);
    assertEquals(1, again.exit(), again.toString());
    assertTrue(again.stderr().startsWith("amber: no live token"), again.stderr());
    assertEquals(1, again.stderr().strip().lines().count(), "one readable line: " + again.stderr());
  }

  private static JsonNode find(JsonNode tokens, String id) {
    for (JsonNode t : tokens) {
      if (t.get("id").asText().equals(id)) {
        return t;
      }
    }
    throw new AssertionError("token " + id + " is not listed in " + tokens);
  }
}
