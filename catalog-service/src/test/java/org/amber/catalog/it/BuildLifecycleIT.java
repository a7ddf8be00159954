package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.SourceData;
import org.amber.catalog.testing.Versions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real builds (child JVMs of the pipelines jar) from request to files on disk. */
class BuildLifecycleIT {
  private static final Duration BUILD = Duration.ofMinutes(3);
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

  @Test
  void fullLifecycleToCompletedWithFilesOnDisk() throws Exception {
    Reply defined =
        api.put(
            "/v1/datasets/items",
            "{\"source\":\"src\",\"table\":\"public.items\",\"formats\":[\"parquet\",\"csv.gz\",\"ndjson.gz\"],"
                + "\"partition_column\":\"id\",\"partitions\":3,\"description\":\"Items\","
                + "\"creators\":[\"Ada Lovelace\"],\"license\":\"CC-BY-4.0\"}");
    assertEquals(201, defined.status(), defined.toString());

    Reply started = api.post("/v1/datasets/items/versions", null);
    assertEquals(202, started.status(), started.toString());
    String location = started.header("Location").orElseThrow();
    assertEquals("/v1/datasets/items/versions/1", location);
    assertTrue(Integer.parseInt(started.header("Retry-After").orElseThrow()) > 0);
    assertTrue(Set.of("QUEUED", "EXECUTING").contains(started.json().get("status").asText()));

    JsonNode done = Versions.awaitStatus(api, location, BUILD, "COMPLETED", "ERROR");
    assertEquals("COMPLETED", done.get("status").asText(), done.toString());
    assertEquals(3000, done.get("rows").asLong());
    assertEquals(3, done.get("progress").get("partitions_total").asInt());
    assertEquals(3, done.get("progress").get("partitions_done").asInt());
    assertTrue(done.get("content_digest").asText().startsWith("sha256:"));
    assertTrue(
        done.get("citation").asText().startsWith("Ada Lovelace ("), done.get("citation").asText());
    assertTrue(done.get("error").isNull());
    assertFalse(done.get("finished_at").isNull());

    Path addressDir = catalog.outputRoot().resolve("items").resolve(done.get("address").asText());
    JsonNode files = done.get("files");
    assertEquals(9, files.size(), "3 shards × 3 formats");
    for (JsonNode f : files) {
      Path onDisk = addressDir.resolve(f.get("path").asText());
      assertEquals(f.get("bytes").asLong(), Files.size(onDisk), f.toString());
      assertEquals(f.get("sha256").asText(), SourceData.sha256(onDisk), f.toString());
      Reply served = api.get(f.get("url").asText());
      assertEquals(200, served.status());
      assertArrayEquals(Files.readAllBytes(onDisk), served.bytes());
      assertEquals(
          "\"sha256:" + f.get("sha256").asText() + "\"", served.header("ETag").orElseThrow());
    }
    Reply manifest = api.get(location + "/manifest.json");
    assertEquals(200, manifest.status());
    assertArrayEquals(Files.readAllBytes(addressDir.resolve("manifest.json")), manifest.bytes());
    assertTrue(manifest.header("Cache-Control").orElseThrow().contains("immutable"));
    assertEquals(404, api.get(location + "/files/../../builds/x.json").status());
    assertTrue(
        Files.exists(
            catalog
                .outputRoot()
                .resolve("items/builds/" + done.get("build_id").asText() + ".json")));
    assertFalse(
        Files.exists(
            catalog.outputRoot().resolve("items/.staging/" + done.get("build_id").asText())));

    Reply latest = api.get("/v1/datasets/items/latest/manifest.json");
    assertEquals(302, latest.status());
    assertEquals(location + "/manifest.json", latest.header("Location").orElseThrow());
    assertEquals("no-store", latest.header("Cache-Control").orElseThrow());
    JsonNode dataset = api.get("/v1/datasets/items").json();
    assertEquals(1, dataset.get("latest").get("version").asInt());
    assertEquals(1, api.get("/v1/datasets/items/versions").json().get("versions").size());

    String metrics = api.get("/metrics").body();
    assertTrue(
        metrics.contains("amber_build_duration_seconds_count{status=\"COMPLETED\"}"), metrics);
    assertFalse(metrics.contains("amber_versions{status=\"COMPLETED\"} 0.0"), metrics);
  }

  @Test
  void preferWaitAnswers201WithTheFinishedVersion() {
    assertEquals(
        201, api.put("/v1/datasets/extra", "{\"source\":\"src\",\"table\":\"extra\"}").status());
    Reply reply = api.post("/v1/datasets/extra/versions", null, "Prefer", "wait=150");
    assertEquals(201, reply.status(), reply.toString());
    assertEquals(
        "wait=120",
        reply.header("Preference-Applied").orElseThrow(),
        "capped at the server's maximum wait");
    assertEquals("COMPLETED", reply.json().get("status").asText());
    assertEquals(500, reply.json().get("rows").asLong());
    assertEquals("/v1/datasets/extra/versions/1", reply.header("Location").orElseThrow());
  }

  @Test
  void fiveConcurrentIdenticalRequestsShareOneBuild() throws Exception {
    assertEquals(
        201,
        api.put(
                "/v1/datasets/shared-flight",
                "{\"source\":\"src\",\"query\":\"SELECT id, name FROM items WHERE id <= 100\"}")
            .status());
    ExecutorService clients = Executors.newFixedThreadPool(5);
    try {
      List<Callable<Reply>> posts = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        posts.add(() -> api.post("/v1/datasets/shared-flight/versions", null));
      }
      Set<String> locations = new HashSet<>();
      Set<String> buildIds = new HashSet<>();
      for (Future<Reply> f : clients.invokeAll(posts)) {
        Reply r = f.get();
        assertEquals(202, r.status(), r.toString());
        locations.add(r.header("Location").orElseThrow());
        buildIds.add(r.json().get("build_id").asText());
      }
      assertEquals(Set.of("/v1/datasets/shared-flight/versions/1"), locations);
      assertEquals(1, buildIds.size());
      JsonNode done =
          Versions.awaitStatus(
              api, "/v1/datasets/shared-flight/versions/1", BUILD, "COMPLETED", "ERROR");
      assertEquals("COMPLETED", done.get("status").asText(), done.toString());
      assertEquals(1, api.get("/v1/datasets/shared-flight/versions").json().get("versions").size());
      try (Stream<Path> records =
          Files.list(catalog.outputRoot().resolve("shared-flight/builds"))) {
        assertEquals(1, records.count(), "one build ran");
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void aFailingBuildEndsInErrorWithItsMessageAndCommitsNothing() throws Exception {
    // Parsed fine when defined (an unknown column would be refused then), fails when it runs.
    assertEquals(
        201,
        api.put(
                "/v1/datasets/broken",
                "{\"source\":\"src\",\"query\":\"SELECT id / (id - id) AS r FROM items\"}")
            .status());
    String location =
        api.post("/v1/datasets/broken/versions", null).header("Location").orElseThrow();
    JsonNode failed = Versions.awaitStatus(api, location, BUILD, "ERROR", "COMPLETED");
    assertEquals("ERROR", failed.get("status").asText());
    assertEquals("build_failed", failed.get("error").get("type").asText());
    assertTrue(
        failed.get("error").get("message").asText().contains("division by zero"),
        failed.toString());
    assertTrue(failed.get("files").isEmpty());
    assertEquals(404, api.get(location + "/manifest.json").status());
    Path datasetDir = catalog.outputRoot().resolve("broken");
    if (Files.exists(datasetDir)) {
      try (Stream<Path> all = Files.walk(datasetDir)) {
        assertTrue(all.noneMatch(p -> p.getFileName().toString().equals("manifest.json")));
      }
    }
  }

  @Test
  void materialiseNamesTheDatasetAndReusesFreshBuilds() {
    String request =
        "{\"source\":\"src\",\"query\":\"SELECT id, price FROM items WHERE id <= 50\",\"formats\":\"ndjson.gz\"";
    Reply first = api.post("/v1/materialise", request + ",\"ttl\":\"P1D\"}", "Prefer", "wait=120");
    assertEquals(201, first.status(), first.toString());
    String dataset = first.json().get("dataset").asText();
    assertTrue(dataset.matches("auto-[0-9a-f]{16}"), dataset);
    assertFalse(first.json().get("expires_at").isNull(), "the ad-hoc TTL applies");

    Reply reused =
        api.post("/v1/materialise", request + ",\"ttl\":\"P1D\",\"max_staleness\":\"PT1H\"}");
    assertEquals(303, reused.status(), reused.toString());
    assertEquals(first.header("Location").orElseThrow(), reused.header("Location").orElseThrow());

    Reply rebuilt = api.post("/v1/materialise", request + ",\"ttl\":\"P1D\"}");
    assertEquals(202, rebuilt.status(), rebuilt.toString());
    assertEquals(dataset, rebuilt.json().get("dataset").asText(), "same request, same name");
    assertNotEquals(first.header("Location"), rebuilt.header("Location"));
    Versions.awaitStatus(api, rebuilt.header("Location").orElseThrow(), BUILD, "COMPLETED");
  }

  @Test
  void pinnedVersionsCannotBeDeletedAndDeletedOnesAreGone() {
    assertEquals(
        201,
        api.put(
                "/v1/datasets/keepers",
                "{\"source\":\"src\",\"query\":\"SELECT id FROM extra WHERE id <= 10\"}")
            .status());
    Reply built = api.post("/v1/datasets/keepers/versions", null, "Prefer", "wait=120");
    assertEquals(201, built.status(), built.toString());
    String v1 = built.header("Location").orElseThrow();

    Reply pinned = api.send("PUT", v1 + "/pin", null, null);
    assertEquals(200, pinned.status());
    assertTrue(pinned.json().get("pinned").asBoolean());
    assertEquals(409, api.delete(v1).status());
    assertEquals(409, api.delete("/v1/datasets/keepers").status());
    assertEquals(
        409, api.post(v1 + ":cancel", null).status(), "a finished build cannot be cancelled");

    assertEquals(200, api.delete(v1 + "/pin").status());
    assertEquals(204, api.delete(v1).status());
    JsonNode tombstone = api.get(v1).json();
    assertEquals("DELETED", tombstone.get("status").asText());
    assertFalse(tombstone.get("content_digest").isNull(), "metadata is kept");
    Reply gone = api.get(v1 + "/manifest.json");
    assertEquals(410, gone.status());
    assertEquals("application/problem+json", gone.header("Content-Type").orElseThrow());
    assertEquals(410, api.get(tombstone.get("files").get(0).get("url").asText()).status());
    assertEquals(
        409, api.send("PUT", v1 + "/pin", null, null).status(), "a tombstone cannot be pinned");
    assertEquals(404, api.get("/v1/datasets/keepers/latest").status());
    assertEquals(204, api.delete("/v1/datasets/keepers").status());
  }
}
