package org.amber.catalog.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.amber.catalog.app.CatalogService;
import org.amber.catalog.artifact.GcsAccess;
import org.amber.catalog.artifact.SignedUrls;
import org.amber.catalog.artifact.SigningKeys;
import org.amber.catalog.domain.model.Scope;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.MutableClock;
import org.amber.catalog.testing.SourceData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The catalog serving a {@code gs://} output root, over a real socket, from the client library's
 * in-memory storage: versions built into a local root are copied into it, and a second service on
 * the same catalog database serves them from there, so every answer can be set beside the local
 * one. Whole objects answer 302 to a signed URL (which cannot be followed: the in-memory storage
 * has no HTTP endpoint, so the test checks the URL's signature and reads the object it names); a
 * one-file download of several objects is streamed with the local answer's bytes and headers,
 * ranges and resumption; errors and auth answer as locally; the sweeper deletes objects after the
 * grace.
 */
class GcsDownloadTest {
  private static final String BUCKET = "amber-test";
  private static final String ROOT = "gs://" + BUCKET + "/exports";
  private static final Duration SIGNED_URL_LIFE = Duration.ofMinutes(5);
  private static final Duration GRACE = Duration.ofMinutes(30);

  private static final MutableClock clock = new MutableClock(Instant.now());
  private static CatalogFixture catalog;
  private static Storage storage;
  private static KeyPair keys;
  private static CatalogService gcsService;
  private static Api local;
  private static Api gcs;
  private static String items;
  private static String one;
  private static String doomed;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c.toBuilder().deletionGrace(GRACE).build(), clock);
    SourceData.load(catalog.sourceUrl());
    local = catalog.api();
    items = build("items", "\"formats\":[\"parquet\",\"csv.gz\",\"ndjson.gz\"],\"partitions\":3");
    one = build("one", "\"formats\":[\"ndjson.gz\"],\"partitions\":1");
    doomed = build("doomed", "\"formats\":[\"csv.gz\"],\"partitions\":2");

    storage = LocalStorageHelper.getOptions().getService();
    Path root = catalog.outputRoot();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = "exports/" + root.relativize(file).toString().replace('\\', '/');
        storage.create(
            BlobInfo.newBuilder(BlobId.of(BUCKET, name)).build(), Files.readAllBytes(file));
      }
    }
    keys = SigningKeys.rsa();
    gcsService = catalog.startAnother(GcsDownloadTest::onGcs, GcsDownloadTest::access);
    gcs = new Api(gcsService.port(), null);
  }

  private static GcsAccess access() {
    return new GcsAccess(storage, SigningKeys.serviceAccount("catalog", keys));
  }

  private static org.amber.catalog.app.CatalogConfig onGcs(org.amber.catalog.app.CatalogConfig c) {
    return c.toBuilder().outputRoot(ROOT).signedUrlLife(SIGNED_URL_LIFE).build();
  }

  private static String build(String dataset, String options) {
    assertEquals(
        201,
        local
            .put(
                "/v1/datasets/" + dataset,
                "{\"source\":\"src\",\"table\":\"public.items\",\"partition_column\":\"id\","
                    + options
                    + "}")
            .status());
    Reply built = local.post("/v1/datasets/" + dataset + "/versions", null, "Prefer", "wait=120");
    assertEquals(201, built.status(), built.toString());
    assertEquals("COMPLETED", built.json().get("status").asText(), built.toString());
    return built.json().get("url").asText();
  }

  @AfterAll
  static void stop() {
    if (gcsService != null) {
      gcsService.close();
    }
    catalog.close();
  }

  private static List<String> objectNames(String prefix) {
    List<String> names = new ArrayList<>();
    storage
        .list(BUCKET, BlobListOption.prefix(prefix))
        .iterateAll()
        .forEach(b -> names.add(b.getName()));
    return names;
  }

  private static String shardPath(String version, String format) {
    JsonNode manifest = local.get(version + "/manifest.json").json();
    return manifest.get("formats").get(format).get("files").get(0).get("path").asText();
  }

  /** A 302 to a URL this service's key signed for {@code method}, naming the file as locally. */
  private static URL assertRedirect(String method, String path) throws Exception {
    Reply reply = gcs.send(method, path, null, null);
    assertEquals(302, reply.status(), method + " " + path + ": " + reply);
    assertEquals("no-store", reply.header("Cache-Control").orElseThrow());
    URL url = new URL(reply.header("Location").orElseThrow());
    assertTrue(SignedUrls.verifies(url, method, keys.getPublic()), url.toString());
    Map<String, String> params = SignedUrls.parameters(url);
    assertEquals(String.valueOf(SIGNED_URL_LIFE.toSeconds()), params.get("X-Goog-Expires"));
    Reply here = local.send(method, path, null, null);
    assertEquals(200, here.status(), here.toString());
    assertEquals(
        here.header("Content-Disposition").orElseThrow(),
        params.get("response-content-disposition"));
    assertEquals(here.header("Content-Type").orElseThrow(), params.get("response-content-type"));
    return url;
  }

  /** The bytes of the object a signed URL names, read from the storage directly. */
  private static byte[] objectAt(URL url) {
    String path = url.getPath();
    assertTrue(path.startsWith("/" + BUCKET + "/"), path);
    return storage.readAllBytes(BlobId.of(BUCKET, path.substring(BUCKET.length() + 2)));
  }

  @Test
  void wholeObjectsAnswerWithASignedUrl() throws Exception {
    List<String> paths =
        List.of(
            items + "/manifest.json",
            items + "/files/" + shardPath(items, "parquet"),
            one + "/download/one.ndjson.gz");
    for (String path : paths) {
      URL get = assertRedirect("GET", path);
      assertArrayEquals(local.get(path).bytes(), objectAt(get), "the object is the local file");
      URL head = assertRedirect("HEAD", path);
      assertEquals(get.getPath(), head.getPath());
    }
    assertTrue(
        assertRedirect("GET", items + "/manifest.json")
            .getPath()
            .matches("/amber-test/exports/items/sha256-[0-9a-f]+/manifest\\.json"));
  }

  @Test
  void anIfNoneMatchThatHoldsAnswers304BeforeAnyRedirect() {
    String path = items + "/files/" + shardPath(items, "csv.gz");
    String etag = local.get(path).header("ETag").orElseThrow();
    Reply reply = gcs.get(path, "If-None-Match", etag);
    assertEquals(304, reply.status(), reply.toString());
    assertEquals(etag, reply.header("ETag").orElseThrow());
    assertFalse(reply.header("Location").isPresent());
  }

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "csv.gz", "ndjson.gz"})
  void aDownloadOfSeveralObjectsIsStreamedAsTheLocalOne(String format) throws Exception {
    String path = items + "/download/items." + format;
    Reply here = local.get(path);
    Reply there = gcs.get(path);
    assertEquals(200, there.status(), there.toString());
    assertArrayEquals(here.bytes(), there.bytes());
    for (String header :
        List.of(
            "Content-Length",
            "Content-Type",
            "Content-Disposition",
            "ETag",
            "Repr-Digest",
            "Cache-Control",
            "Accept-Ranges")) {
      assertEquals(here.header(header), there.header(header), header);
    }
    byte[] whole = there.bytes();
    assertEquals(
        "sha-256=:"
            + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(whole))
            + ":",
        there.header("Repr-Digest").orElseThrow());
    String etag = there.header("ETag").orElseThrow();
    int n = whole.length;
    String[][] ranges = {
      {"bytes=0-99", "0", "100"},
      {"bytes=-8", String.valueOf(n - 8), String.valueOf(n)},
      {
        "bytes=" + (n / 2) + "-" + (n / 2 + 5000),
        String.valueOf(n / 2),
        String.valueOf(n / 2 + 5001)
      },
      {"bytes=" + (n - 1) + "-", String.valueOf(n - 1), String.valueOf(n)}
    };
    for (String[] r : ranges) {
      Reply part = gcs.get(path, "Range", r[0], "If-Range", etag);
      Reply localPart = local.get(path, "Range", r[0], "If-Range", etag);
      assertEquals(206, part.status(), r[0]);
      assertArrayEquals(
          Arrays.copyOfRange(whole, Integer.parseInt(r[1]), Integer.parseInt(r[2])),
          part.bytes(),
          r[0]);
      assertEquals(localPart.header("Content-Range"), part.header("Content-Range"), r[0]);
      assertEquals(there.header("Repr-Digest"), part.header("Repr-Digest"), "whole file's");
    }
    Reply unsatisfiable = gcs.get(path, "Range", "bytes=" + n + "-");
    assertEquals(416, unsatisfiable.status());
    assertEquals("bytes */" + n, unsatisfiable.header("Content-Range").orElseThrow());
    Reply stale = gcs.get(path, "Range", "bytes=0-9", "If-Range", "\"sha256:other\"");
    assertEquals(200, stale.status(), "a changed validator gets the whole file");
    assertArrayEquals(whole, stale.bytes());
  }

  @Test
  void anInterruptedDownloadResumesWhereItStopped() throws Exception {
    String path = items + "/download/items.parquet";
    Reply first = gcs.get(path, "Range", "bytes=0-12344");
    String etag = first.header("ETag").orElseThrow();
    Reply rest = gcs.get(path, "Range", "bytes=12345-", "If-Range", etag);
    assertEquals(206, rest.status());
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    joined.write(first.bytes());
    joined.write(rest.bytes());
    assertArrayEquals(local.get(path).bytes(), joined.toByteArray());
  }

  @Test
  void checksumListsAndErrorsAnswerAsLocally() {
    List<String> paths =
        List.of(
            items + "/SHA256SUMS",
            items + "/files/parquet/no-such-file.parquet",
            items + "/download/items.json",
            items + "/download/other.parquet",
            "/v1/datasets/items/versions/99/manifest.json",
            "/v1/datasets/nothing/versions/1/download/nothing.parquet",
            items + "/files/..%2F..%2Fone%2Fmanifest.json");
    for (String path : paths) {
      Reply here = local.get(path);
      Reply there = gcs.get(path);
      assertEquals(here.status(), there.status(), path);
      assertEquals(here.body(), there.body(), path);
      assertEquals(here.header("Content-Type"), there.header("Content-Type"), path);
    }
  }

  @Test
  void readsNeedATokenBeforeAnyRedirect() {
    String path = items + "/manifest.json";
    try (CatalogService privateLocal =
            catalog.startAnother(
                c -> c.toBuilder().publicRead(false).demoMode(false).build(), () -> null);
        CatalogService privateGcs =
            catalog.startAnother(
                c -> onGcs(c).toBuilder().publicRead(false).demoMode(false).build(),
                GcsDownloadTest::access)) {
      Reply here = new Api(privateLocal.port(), null).get(path);
      Reply there = new Api(privateGcs.port(), null).get(path);
      assertEquals(401, there.status());
      assertEquals(here.body(), there.body());
      assertEquals(here.header("WWW-Authenticate"), there.header("WWW-Authenticate"));
      assertFalse(there.header("Location").isPresent());
      String token = privateGcs.tokens().create(Scope.READ);
      assertEquals(302, new Api(privateGcs.port(), token).get(path).status());
    }
  }

  @Test
  void theSweeperDeletesTheObjectsOfAGoneVersionAfterTheGrace() {
    String address = local.get(doomed).json().get("address").asText();
    String prefix = "exports/doomed/" + address + "/";
    List<String> stored = objectNames(prefix);
    assertTrue(stored.contains(prefix + "manifest.json"), stored.toString());
    int others = objectNames("exports/").size() - stored.size();

    // Through the local service: each instance caches versions, and only this test reads this one
    // through the other, which then sees it DELETED from the first read.
    assertEquals(204, local.delete(doomed).status());
    Reply here = local.get(doomed + "/manifest.json");
    Reply there = gcs.get(doomed + "/manifest.json");
    assertEquals(410, there.status());
    assertEquals(here.body(), there.body());

    clock.set(clock.instant().plus(GRACE).minusSeconds(60));
    gcsService.sweep();
    assertEquals(stored, objectNames(prefix), "the objects outlive the grace's signed URLs");

    clock.set(clock.instant().plusSeconds(120));
    gcsService.sweep();
    assertEquals(List.of(), objectNames(prefix));
    assertEquals(others, objectNames("exports/").size(), "nothing else was deleted");
    assertNotNull(gcs.get(doomed).json().get("files_deleted_at").textValue());
  }
}
