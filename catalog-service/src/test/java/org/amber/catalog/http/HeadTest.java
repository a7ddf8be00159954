package org.amber.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.amber.catalog.domain.model.Scope;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.SourceData;
import org.amber.catalog.testing.Versions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HEAD is GET without the body: the same status, headers and auth, for every GET route. */
class HeadTest {
  private static CatalogFixture catalog;
  private static Api reader;
  private static Api admin;
  private static String completed;
  private static String tombstone;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c.toBuilder().publicRead(false).demoMode(false).build());
    SourceData.load(catalog.sourceUrl());
    reader = catalog.api(catalog.service().tokens().create(Scope.READ));
    admin = catalog.api(catalog.service().tokens().create(Scope.ADMIN));
    completed = build("headed", "public.items");
    tombstone = build("gone", "public.extra");
    Versions.awaitStatus(admin, completed, Duration.ofSeconds(120), "COMPLETED");
    Versions.awaitStatus(admin, tombstone, Duration.ofSeconds(120), "COMPLETED");
    assertEquals(204, admin.delete(tombstone).status());
  }

  /** Starts a build of a new dataset; returns the version's path. */
  private static String build(String dataset, String table) {
    String definition = "{\"source\":\"src\",\"table\":\"" + table + "\"}";
    assertEquals(201, admin.put("/v1/datasets/" + dataset, definition).status());
    Reply started = admin.post("/v1/datasets/" + dataset + "/versions", null);
    assertEquals(202, started.status(), started.toString());
    return started.header("Location").orElseThrow();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  /** The headers that must match; Date is the only one allowed to differ. */
  private static Map<String, List<String>> headers(Reply reply) {
    Map<String, List<String>> headers = new TreeMap<>(reply.headers().map());
    headers.remove("date");
    return headers;
  }

  private static void assertHeadIsGetWithoutBody(Api api, String path, int status) {
    Reply get = api.get(path);
    Reply head = api.send("HEAD", path, null, null);
    assertEquals(status, get.status(), "GET " + path + ": " + get);
    assertEquals(get.status(), head.status(), "HEAD " + path);
    assertEquals(headers(get), headers(head), "HEAD " + path);
    assertEquals(0, head.bytes().length, "HEAD " + path + " has no body");
    // Larger answers are chunked (and equally so for HEAD); others announce their exact length.
    get.header("Content-Length")
        .ifPresent(
            length -> assertEquals(String.valueOf(get.bytes().length), length, "GET " + path));
  }

  @Test
  void existingResources() {
    assertHeadIsGetWithoutBody(reader, "/v1/datasets", 200);
    assertHeadIsGetWithoutBody(reader, "/v1/datasets/headed", 200);
    assertHeadIsGetWithoutBody(reader, "/v1/datasets/headed/versions", 200);
    assertHeadIsGetWithoutBody(reader, "/v1/datasets/headed/versions", 200);
    assertHeadIsGetWithoutBody(reader, completed, 200);
    assertHeadIsGetWithoutBody(reader, tombstone, 200);
    assertHeadIsGetWithoutBody(reader, "/v1/datasets/headed/latest", 302);
    Reply manifest = reader.get(completed + "/manifest.json");
    assertHeadIsGetWithoutBody(reader, completed + "/manifest.json", 200);
    assertTrue(manifest.header("ETag").isPresent(), manifest.headers().map().toString());
    assertTrue(manifest.header("Content-Length").isPresent(), manifest.headers().map().toString());
    String shard =
        manifest.json().get("formats").get("parquet").get("files").get(0).get("path").asText();
    assertHeadIsGetWithoutBody(reader, completed + "/files/" + shard, 200);
    assertHeadIsGetWithoutBody(reader, completed + "/files/no-such-file.parquet", 404);
    Reply notModified =
        reader.send(
            "HEAD",
            completed + "/manifest.json",
            null,
            null,
            "If-None-Match",
            manifest.header("ETag").get());
    assertEquals(304, notModified.status());
    assertHeadIsGetWithoutBody(reader, completed + "/citation", 200);
    assertHeadIsGetWithoutBody(reader, tombstone + "/citation?style=csl", 200);
    assertHeadIsGetWithoutBody(reader, "/healthz", 200);
    assertHeadIsGetWithoutBody(reader, "/openapi.json", 200);
    assertHeadIsGetWithoutBody(admin, "/v1/tokens", 200);
  }

  @Test
  void missingResources() {
    assertHeadIsGetWithoutBody(reader, "/v1/datasets/nothing", 404);
    assertHeadIsGetWithoutBody(reader, "/v1/datasets/headed/versions/99", 404);
    assertHeadIsGetWithoutBody(reader, "/v1/datasets/headed/versions/99/manifest.json", 404);
    assertHeadIsGetWithoutBody(reader, "/v1/datasets/gone/latest", 404);
    assertHeadIsGetWithoutBody(reader, "/v1/datasets/headed/versions/seven", 400);
    assertHeadIsGetWithoutBody(reader, "/v1/datasets/headed/versions/99/citation", 404);
    assertHeadIsGetWithoutBody(reader, completed + "/citation?style=nope", 400);
    assertHeadIsGetWithoutBody(reader, "/v1/nowhere", 404);
  }

  @Test
  void tombstonedArtifactsAreGone() {
    assertHeadIsGetWithoutBody(reader, tombstone + "/manifest.json", 410);
    assertHeadIsGetWithoutBody(reader, tombstone + "/files/part-00000.parquet", 410);
  }

  /** Without --public-url, citations link to the listener (this catalog serves no other). */
  @Test
  void citationsLinkToTheListenerByDefault() {
    Reply ris = reader.get(completed + "/citation?style=ris");
    assertEquals(200, ris.status(), ris.toString());
    String landing = "http://127.0.0.1:" + catalog.service().port() + "/datasets/headed/versions/1";
    assertTrue(ris.body().contains("UR  - " + landing + "\r\n"), ris.body());
  }

  @Test
  void sameAuthAsGet() {
    Api anonymous = catalog.api();
    assertHeadIsGetWithoutBody(anonymous, completed + "/citation", 401);
    assertHeadIsGetWithoutBody(anonymous, "/v1/datasets", 401);
    assertHeadIsGetWithoutBody(anonymous, "/v1/datasets/headed/versions/99", 401);
    assertHeadIsGetWithoutBody(anonymous, tombstone + "/manifest.json", 401);
    assertHeadIsGetWithoutBody(anonymous.withToken("amber_forged"), "/v1/datasets/headed", 401);
    assertHeadIsGetWithoutBody(reader, "/v1/tokens", 403);
    assertTrue(
        anonymous.send("HEAD", "/v1/datasets", null, null).header("WWW-Authenticate").isPresent());
  }
}
