package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.Poll;
import org.amber.catalog.testing.SourceData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TTL: versions expire, answer 410 for their artifacts while keeping their metadata, and lose their
 * files after the grace period, except files a pinned or live version still shares.
 */
class TtlIT {
  private static final Duration GRACE = Duration.ofSeconds(3);
  private static final Duration SOON = Duration.ofSeconds(60);
  private static CatalogFixture catalog;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c.toBuilder().deletionGrace(GRACE).build());
    SourceData.load(catalog.sourceUrl());
    api = catalog.api();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  private static JsonNode build(String dataset) {
    Reply reply = api.post("/v1/datasets/" + dataset + "/versions", null, "Prefer", "wait=120");
    assertEquals(201, reply.status(), reply.toString());
    assertEquals("COMPLETED", reply.json().get("status").asText(), reply.toString());
    return reply.json();
  }

  /** Runs the sweeper until the version satisfies {@code done}. */
  private static JsonNode sweepUntil(
      String versionPath, String what, java.util.function.Predicate<JsonNode> done) {
    return Poll.until(
        versionPath + " " + what,
        SOON,
        () -> {
          catalog.service().sweep();
          return api.get(versionPath).json();
        },
        done);
  }

  private static void awaitClock(Instant instant) {
    Poll.until("the clock to pass " + instant, SOON, Instant::now, now -> now.isAfter(instant));
  }

  @Test
  void expiredVersionsLoseTheirFilesAfterTheGraceButNotSharedOnes() throws Exception {
    assertEquals(
        201,
        api.put(
                "/v1/datasets/lonely",
                "{\"source\":\"src\",\"query\":\"SELECT id FROM items WHERE id <= 30\",\"default_ttl\":\"PT2S\"}")
            .status());
    JsonNode lonely = build("lonely");
    assertEquals(
        Duration.ofSeconds(2),
        Duration.between(
            Instant.parse(lonely.get("finished_at").asText()),
            Instant.parse(lonely.get("expires_at").asText())));
    String lonelyPath = lonely.get("url").asText();
    Path lonelyDir = catalog.outputRoot().resolve("lonely").resolve(lonely.get("address").asText());

    // Two builds of unchanged data share a content address. (No Parquet here: its footers are not
    // yet byte-identical across build processes.)
    assertEquals(
        201,
        api.put(
                "/v1/datasets/shared",
                "{\"source\":\"src\",\"table\":\"extra\",\"formats\":[\"csv.gz\",\"ndjson.gz\"]}")
            .status());
    JsonNode v1 = build("shared");
    JsonNode v2 = build("shared");
    assertEquals(v1.get("address"), v2.get("address"), "unchanged data, one content address");
    Path sharedDir = catalog.outputRoot().resolve("shared").resolve(v1.get("address").asText());
    String v1Path = v1.get("url").asText();
    String v2Path = v2.get("url").asText();
    assertEquals(200, api.send("PUT", v2Path + "/pin", null, null).status());
    Instant soon = Instant.now().plusSeconds(2);
    Reply patched = api.patch(v1Path, "{\"expires_at\":\"" + soon + "\"}");
    assertEquals(200, patched.status(), patched.toString());
    assertEquals(
        soon.toEpochMilli(),
        Instant.parse(patched.json().get("expires_at").asText()).toEpochMilli());

    // Expiry: status flips, artifacts answer 410, metadata stays, files wait for the grace.
    JsonNode expired =
        sweepUntil(lonelyPath, "EXPIRED", v -> v.get("status").asText().equals("EXPIRED"));
    assertTrue(expired.get("files_deleted_at").isNull());
    assertTrue(Files.exists(lonelyDir.resolve("manifest.json")), "files stay during the grace");
    Reply gone = api.get(lonelyPath + "/manifest.json");
    assertEquals(410, gone.status());
    assertEquals("application/problem+json", gone.header("Content-Type").orElseThrow());
    assertEquals(410, api.get(expired.get("files").get(0).get("url").asText()).status());
    assertFalse(expired.get("content_digest").isNull());

    sweepUntil(v1Path, "EXPIRED", v -> v.get("status").asText().equals("EXPIRED"));
    assertEquals(410, api.get(v1Path + "/manifest.json").status());
    assertEquals(
        200, api.get(v2Path + "/manifest.json").status(), "the pinned version shares the files");

    // After the grace: the lonely content goes, the shared content stays.
    JsonNode deleted =
        sweepUntil(lonelyPath, "files deleted", v -> !v.get("files_deleted_at").isNull());
    assertFalse(Files.exists(lonelyDir), "lonely content deleted");
    assertEquals("EXPIRED", deleted.get("status").asText());
    assertEquals(200, api.get(lonelyPath).status(), "the tombstone keeps its metadata");
    awaitClock(
        Instant.parse(api.get(v1Path).json().get("expires_at").asText())
            .plus(GRACE)
            .plusSeconds(1));
    catalog.service().sweep();
    assertTrue(
        Files.exists(sharedDir.resolve("manifest.json")), "shared with a pinned version: kept");
    assertTrue(api.get(v1Path).json().get("files_deleted_at").isNull());
    assertEquals(
        200, api.get(v2Path + "/files/" + v2.get("files").get(0).get("path").asText()).status());
    assertEquals(409, api.delete(v2Path).status(), "pinned");

    // Once nothing live points at it, the shared content goes too.
    assertEquals(200, api.delete(v2Path + "/pin").status());
    assertEquals(
        200,
        api.patch(v2Path, "{\"expires_at\":\"" + Instant.now().plusSeconds(1) + "\"}").status());
    sweepUntil(v2Path, "files deleted", v -> !v.get("files_deleted_at").isNull());
    assertFalse(Files.exists(sharedDir));
    assertFalse(api.get(v1Path).json().get("files_deleted_at").isNull());
    assertEquals(404, api.get("/v1/datasets/shared/latest").status());
  }

  @Test
  void pinnedVersionsNeverExpire() {
    assertEquals(
        201,
        api.put(
                "/v1/datasets/forever",
                "{\"source\":\"src\",\"query\":\"SELECT id FROM extra WHERE id <= 7\",\"default_ttl\":\"PT1S\"}")
            .status());
    JsonNode v = build("forever");
    String path = v.get("url").asText();
    Reply pinned = api.send("PUT", path + "/pin", null, null);
    if (pinned.status() == 409) {
      // The one-second TTL ran out before the pin; that must be because it expired.
      assertEquals("EXPIRED", api.get(path).json().get("status").asText());
      return;
    }
    assertEquals(200, pinned.status());
    awaitClock(Instant.parse(v.get("expires_at").asText()).plusSeconds(1));
    catalog.service().sweep();
    JsonNode after = api.get(path).json();
    assertEquals("COMPLETED", after.get("status").asText());
    assertEquals(200, api.get(path + "/manifest.json").status());
  }
}
