package org.amber.catalog.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.amber.artifacts.download.Piece;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Cloud Storage artifact store against the client library's in-memory storage: reads of whole
 * objects and of runs across several, the checks on paths, and deletion of an address or a staging
 * folder and nothing else.
 */
class GcsArtifactStoreTest {
  private static final String ROOT = "gs://amber-test/exports/v1";
  private static final String ADDRESS = "sha256-abc";
  private static final String DIR = "exports/v1/items/" + ADDRESS + "/";

  private Storage storage;
  private GcsArtifactStore store;

  @BeforeEach
  void fresh() throws Exception {
    storage = LocalStorageHelper.getOptions().getService();
    store =
        new GcsArtifactStore(
            ROOT, storage, SigningKeys.serviceAccount("store-test"), Duration.ofMinutes(15));
  }

  private void put(String name, byte[] bytes) {
    storage.create(BlobInfo.newBuilder(BlobId.of("amber-test", name)).build(), bytes);
  }

  private static byte[] random(int n, long seed) {
    byte[] bytes = new byte[n];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] read(Body body, long start, long count, int bufferBytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    body.copy(start, count, Channels.newChannel(out), ByteBuffer.allocateDirect(bufferBytes));
    return out.toByteArray();
  }

  private List<String> names() {
    List<String> names = new ArrayList<>();
    storage
        .list("amber-test", BlobListOption.prefix(""))
        .iterateAll()
        .forEach(b -> names.add(b.getName()));
    return names.stream().sorted().toList();
  }

  @Test
  void readsManifestsAndBuildRecords() {
    put(DIR + "manifest.json", "{\"m\":1}".getBytes(StandardCharsets.UTF_8));
    put("exports/v1/items/builds/b-1.json", "{\"r\":1}".getBytes(StandardCharsets.UTF_8));
    assertEquals("{\"m\":1}", new String(store.readManifest("items", ADDRESS).orElseThrow()));
    assertEquals("{\"r\":1}", new String(store.readBuildRecord("items", "b-1").orElseThrow()));
    assertTrue(store.readManifest("items", "sha256-other").isEmpty());
    assertTrue(store.readBuildRecord("items", "b-2").isEmpty());
  }

  @Test
  void aWholeObjectIsADirectDownloadAndReadsAsStored() throws Exception {
    byte[] shard = random(300_000, 1);
    put(DIR + "parquet/part-00000-of-00001.parquet", shard);
    Body body =
        store.storedFile("items", ADDRESS, "parquet/part-00000-of-00001.parquet").orElseThrow();
    assertInstanceOf(DirectDownload.class, body);
    assertEquals(shard.length, body.length());
    assertArrayEquals(shard, read(body, 0, shard.length, 64 * 1024));
    Body assembled =
        store
            .assemble(
                "items",
                ADDRESS,
                List.of(new Piece("parquet/part-00000-of-00001.parquet", 0, shard.length)))
            .orElseThrow();
    assertInstanceOf(DirectDownload.class, assembled, "one piece covering one object");
    Body part =
        store
            .assemble(
                "items",
                ADDRESS,
                List.of(new Piece("parquet/part-00000-of-00001.parquet", 4, shard.length - 4)))
            .orElseThrow();
    assertFalse(part instanceof DirectDownload, "a run of an object is not the object");
    assertArrayEquals(
        Arrays.copyOfRange(shard, 4, shard.length), read(part, 0, shard.length - 4, 8192));
  }

  @Test
  void runsOfSeveralObjectsReadAsOneFileAtEveryOffset() throws Exception {
    byte[] a = random(70_000, 2);
    byte[] b = random(50_001, 3);
    byte[] footer = random(999, 4);
    put(DIR + "parquet/part-00000-of-00002.parquet", a);
    put(DIR + "parquet/part-00001-of-00002.parquet", b);
    put(DIR + "parquet/footer.bin", footer);
    List<Piece> pieces =
        List.of(
            new Piece("parquet/part-00000-of-00002.parquet", 0, 4),
            new Piece("parquet/part-00000-of-00002.parquet", 4, a.length - 104),
            new Piece("parquet/part-00001-of-00002.parquet", 4, b.length - 204),
            new Piece("parquet/footer.bin", 0, footer.length));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(a, 0, 4);
    expected.write(a, 4, a.length - 104);
    expected.write(b, 4, b.length - 204);
    expected.write(footer);
    byte[] whole = expected.toByteArray();

    Body body = store.assemble("items", ADDRESS, pieces).orElseThrow();
    assertFalse(body instanceof DirectDownload);
    assertEquals(whole.length, body.length());
    assertArrayEquals(whole, read(body, 0, whole.length, 16 * 1024));
    // Runs that start and end inside a piece, across boundaries, and the very end.
    long[][] runs = {{0, 3}, {2, 10}, {3, 70_000}, {69_890, 300}, {whole.length - 1000, 1000}};
    for (long[] run : runs) {
      assertArrayEquals(
          Arrays.copyOfRange(whole, (int) run[0], (int) (run[0] + run[1])),
          read(body, run[0], run[1], 4096),
          run[0] + "+" + run[1]);
    }
    assertThrows(IndexOutOfBoundsException.class, () -> read(body, whole.length - 1, 2, 4096));
  }

  @Test
  void aMissingObjectMeansTheContentIsGone() {
    put(DIR + "ndjson.gz/part-00000-of-00002.ndjson.gz", random(10, 5));
    List<Piece> pieces =
        List.of(
            new Piece("ndjson.gz/part-00000-of-00002.ndjson.gz", 0, 10),
            new Piece("ndjson.gz/part-00001-of-00002.ndjson.gz", 0, 10));
    assertTrue(store.assemble("items", ADDRESS, pieces).isEmpty());
    assertTrue(store.storedFile("items", ADDRESS, "manifest.json").isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../sha256-other/manifest.json",
        "parquet/../../x",
        "/exports/v1/items/sha256-abc/a",
        "parquet//a",
        "./a",
        "a/"
      })
  void pathsThatLeaveTheAddressAreNotFiles(String path) {
    put(DIR + "a", random(10, 6));
    put("exports/v1/items/sha256-other/manifest.json", random(10, 7));
    put("exports/v1/x", random(10, 8));
    assertTrue(store.storedFile("items", ADDRESS, path).isEmpty(), path);
    assertTrue(store.assemble("items", ADDRESS, List.of(new Piece(path, 0, 10))).isEmpty(), path);
  }

  @Test
  void deletesAnAddressOrAStagingFolderAndNothingElse() {
    put(DIR + "manifest.json", random(10, 9));
    put(DIR + "csv.gz/part-00000-of-00001.csv.gz", random(10, 10));
    put("exports/v1/items/sha256-abcd/manifest.json", random(10, 11));
    put("exports/v1/items/.staging/b-1/part-00000.tmp", random(10, 12));
    put("exports/v1/items/.staging/b-10/part-00000.tmp", random(10, 13));
    put("exports/v1/items/builds/b-1.json", random(10, 14));
    put("exports/v1/other/" + ADDRESS + "/manifest.json", random(10, 15));

    store.deleteContent("items", ADDRESS);
    store.deleteStaging("items", "b-1");
    store.deleteStaging("items", "b-never");
    store.deleteContent("items", "sha256-gone");

    assertEquals(
        List.of(
            "exports/v1/items/.staging/b-10/part-00000.tmp",
            "exports/v1/items/builds/b-1.json",
            "exports/v1/items/sha256-abcd/manifest.json",
            "exports/v1/other/" + ADDRESS + "/manifest.json"),
        names());
    assertTrue(store.readManifest("items", ADDRESS).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gs://",
        "gs:///prefix",
        "gs://Upper/prefix",
        "gs://ab",
        "gs://bucket/a//b",
        "gs://bucket/a/../b",
        "gs://bucket/p?x=1",
        "gs://bucket/p#f",
        "s3://bucket/p",
        "gs://bu cket/p"
      })
  void refusesWhatIsNotABucketAndPrefix(String root) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GcsArtifactStore.bucketOf(root));
    assertTrue(e.getMessage().contains("output root"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }

  @Test
  void acceptsABucketWithOrWithoutAPrefix() {
    assertEquals("amber-test", GcsArtifactStore.bucketOf("gs://amber-test"));
    assertEquals("amber-test", GcsArtifactStore.bucketOf("gs://amber-test/"));
    assertEquals("my.bucket_1", GcsArtifactStore.bucketOf("gs://my.bucket_1/a/b/"));
  }

  @Test
  void refusesASignedUrlLifeCloudStorageWouldNot() {
    for (Duration life : List.of(Duration.ZERO, Duration.ofDays(8), Duration.ofSeconds(-1))) {
      assertThrows(
          IllegalArgumentException.class,
          () -> new GcsArtifactStore(ROOT, storage, SigningKeys.serviceAccount("x"), life),
          life.toString());
    }
  }
}
