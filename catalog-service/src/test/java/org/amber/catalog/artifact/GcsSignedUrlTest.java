package org.amber.catalog.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.net.URL;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The signed URL a whole object is handed out as, signed with a key made here and checked as Cloud
 * Storage would: where it points, for how long, which name and type the storage answers with, and a
 * signature that the service account's public key verifies, for the method asked and no other.
 */
class GcsSignedUrlTest {
  private static final Duration LIFE = Duration.ofMinutes(10);
  private static final String DISPOSITION = "attachment; filename=\"items.ndjson.gz\"";
  private static KeyPair keys;
  private static DirectDownload object;

  @BeforeAll
  static void store() {
    keys = SigningKeys.rsa();
    Storage storage = LocalStorageHelper.getOptions().getService();
    storage.create(
        BlobInfo.newBuilder(
                BlobId.of("amber-test", "exports/items/sha256-abc/ndjson.gz/part-0.ndjson.gz"))
            .build(),
        new byte[] {1, 2, 3});
    GcsArtifactStore store =
        new GcsArtifactStore(
            "gs://amber-test/exports", storage, SigningKeys.serviceAccount("signer", keys), LIFE);
    object =
        (DirectDownload)
            store.storedFile("items", "sha256-abc", "ndjson.gz/part-0.ndjson.gz").orElseThrow();
  }

  @Test
  void pointsAtTheObjectForTheConfiguredLife() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    URL url = object.signedUrl("GET", DISPOSITION, "application/gzip");
    Instant after = Instant.now().plusSeconds(1);
    assertEquals("https", url.getProtocol());
    assertEquals("storage.googleapis.com", url.getHost());
    assertEquals("/amber-test/exports/items/sha256-abc/ndjson.gz/part-0.ndjson.gz", url.getPath());
    Map<String, String> params = SignedUrls.parameters(url);
    assertEquals("GOOG4-RSA-SHA256", params.get("X-Goog-Algorithm"));
    assertEquals("host", params.get("X-Goog-SignedHeaders"));
    assertEquals(String.valueOf(LIFE.toSeconds()), params.get("X-Goog-Expires"));
    Instant signedAt =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .parse(params.get("X-Goog-Date"), Instant::from);
    assertFalse(
        signedAt.isBefore(before.minusSeconds(1)) || signedAt.isAfter(after), signedAt + "");
    assertTrue(
        params
            .get("X-Goog-Credential")
            .matches(
                "signer@amber-test\\.iam\\.gserviceaccount\\.com/\\d{8}/auto/storage/goog4_request"),
        params.get("X-Goog-Credential"));
    assertEquals(DISPOSITION, params.get("response-content-disposition"));
    assertEquals("application/gzip", params.get("response-content-type"));
  }

  @Test
  void theSignatureHoldsForItsMethodAndParametersOnly() throws Exception {
    URL get = object.signedUrl("GET", DISPOSITION, "application/gzip");
    assertTrue(SignedUrls.verifies(get, "GET", keys.getPublic()), get.toString());
    assertFalse(SignedUrls.verifies(get, "HEAD", keys.getPublic()), "signed for GET only");
    URL head = object.signedUrl("HEAD", DISPOSITION, "application/gzip");
    assertTrue(SignedUrls.verifies(head, "HEAD", keys.getPublic()), head.toString());
    URL renamed =
        SignedUrls.withParameter(get, "response-content-disposition", "attachment; filename=x");
    assertFalse(SignedUrls.verifies(renamed, "GET", keys.getPublic()), "the name is signed");
    URL longer = SignedUrls.withParameter(get, "X-Goog-Expires", "604800");
    assertFalse(SignedUrls.verifies(longer, "GET", keys.getPublic()), "the life is signed");
    assertFalse(
        SignedUrls.verifies(get, "GET", SigningKeys.rsa().getPublic()), "another key's signature");
  }
}
