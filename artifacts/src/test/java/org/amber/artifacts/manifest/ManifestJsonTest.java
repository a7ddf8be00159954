package org.amber.artifacts.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestJsonTest {
  private static Manifest manifest(long rows) {
    ShardFile file =
        new ShardFile("csv/part-00000-of-00001.csv.gz", rows, 120, "ab".repeat(32), 41L, null);
    return new Manifest(
        Manifest.VERSION,
        "compound",
        List.of(new SchemaField("id", "int64", false, "int8")),
        rows,
        new Partitioning("id", 1),
        Map.of("csv.gz", new FormatFiles(List.of(file), null, null)),
        null);
  }

  @Test
  void canonicalJsonHasSortedKeysAndNoWhitespace() {
    String json = new String(ManifestJson.canonicalBytes(manifest(3)), StandardCharsets.UTF_8);
    assertEquals(
        "{\"dataset\":\"compound\",\"formats\":{\"csv.gz\":{\"files\":[{\"bytes\":120,\"header_bytes\":41,"
            + "\"path\":\"csv/part-00000-of-00001.csv.gz\",\"rows\":3,\"sha256\":\""
            + "ab".repeat(32)
            + "\"}]}},"
            + "\"manifest_version\":1,\"partitioning\":{\"column\":\"id\",\"shards\":1},\"row_count\":3,"
            + "\"schema\":[{\"name\":\"id\",\"nullable\":false,\"source_type\":\"int8\",\"type\":\"int64\"}]}",
        json);
  }

  @Test
  void theDigestCoversEverythingButItselfAndNamesTheAddress() throws Exception {
    Manifest digested = manifest(3).withDigest();
    assertEquals(
        ContentDigest.of(ManifestJson.canonicalBytes(manifest(3))).toString(),
        digested.contentDigest());
    assertEquals("sha256-" + digested.contentDigest().substring(7, 39), digested.address());
    assertNotEquals(digested.contentDigest(), manifest(4).withDigest().contentDigest());
    Manifest read = ManifestJson.readManifest(ManifestJson.canonicalBytes(digested));
    assertEquals(digested, read);
    assertEquals(
        digested.contentDigest(), read.withDigest().contentDigest(), "stable through a round trip");
    assertNull(read.withoutDigest().contentDigest());
  }

  @Test
  void digestsParseOnlyInTheirOneForm() {
    assertThrows(IllegalArgumentException.class, () -> ContentDigest.parse("sha256:ABC"));
    assertThrows(
        IllegalArgumentException.class, () -> ContentDigest.parse("md5:" + "a".repeat(64)));
    assertTrue(ContentDigest.parse("sha256:" + "a".repeat(64)).address().endsWith("a".repeat(32)));
  }

  @Test
  void formatsParseFromTheirKeys() {
    assertEquals(
        List.of(ShardFormat.PARQUET, ShardFormat.CSV_GZ),
        ShardFormat.parseList("csv.gz, parquet,csv.gz"));
    assertEquals("ndjson/part-00002-of-00010.ndjson.gz", ShardFormat.NDJSON_GZ.shardPath(2, 10));
    assertThrows(IllegalArgumentException.class, () -> ShardFormat.parseList("xlsx"));
  }
}
