package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same rows and request give byte-identical files and digest; the second build stores nothing.
 */
class DeterminismTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path out;
  @TempDir Path elsewhere;

  @Test
  void twoBuildsOfUnchangedDataShareOneAddressAndTheSecondStoresNothingNew() throws Exception {
    String url = TestPostgres.freshDatabase("determinism");
    TestPostgres.execute(
        url,
        "CREATE TABLE sample (id int PRIMARY KEY, label text, taken timestamptz, weight numeric(8,3), tags text[])",
        "INSERT INTO sample SELECT g, 'sample ' || g, timestamptz '2024-01-01 00:00+00' + g * interval '1 hour',"
            + " g / 3.0, ARRAY['t' || g % 5] FROM generate_series(1, 3000) g");
    String[] request = {
      "--source",
      url,
      "--table",
      "sample",
      "--dataset",
      "sample",
      "--partitions",
      "3",
      "--formats",
      "parquet,csv.gz,ndjson.gz",
      "--output",
      out.toUri().toString()
    };

    Amber.Result first = Amber.materialise(request);
    assertEquals(0, first.exitCode(), first.stderr());
    Path datasetDir = out.resolve("sample");
    Map<Path, byte[]> before = contentsExceptBuildRecords(datasetDir);

    Amber.Result second = Amber.materialise(request);
    assertEquals(0, second.exitCode(), second.stderr());
    assertEquals(first.summary().get("content_digest"), second.summary().get("content_digest"));
    assertEquals(first.summary().get("address"), second.summary().get("address"));
    assertNotEquals(
        first.summary().get("build"),
        second.summary().get("build"),
        "each build has its own record");

    Map<Path, byte[]> after = contentsExceptBuildRecords(datasetDir);
    assertEquals(before.keySet(), after.keySet(), "the second build stored no new file");
    before.forEach((path, bytes) -> assertArrayEquals(bytes, after.get(path), path.toString()));
    JsonNode record =
        JSON.readTree(
            Files.readAllBytes(
                Path.of(java.net.URI.create(second.summary().get("build").asText()))));
    assertTrue(record.get("reused_existing_address").asBoolean());
    assertTrue(
        Files.list(datasetDir.resolve(".staging")).findAny().isEmpty(), "staging cleaned up");

    // A fresh output root, built from scratch, holds byte-identical files.
    Amber.Result third =
        Amber.materialise(replace(request, out.toUri().toString(), elsewhere.toUri().toString()));
    assertEquals(0, third.exitCode(), third.stderr());
    assertEquals(first.summary().get("content_digest"), third.summary().get("content_digest"));
    Map<Path, byte[]> fresh = contentsExceptBuildRecords(elsewhere.resolve("sample"));
    assertEquals(before.keySet(), fresh.keySet());
    before.forEach((path, bytes) -> assertArrayEquals(bytes, fresh.get(path), path.toString()));

    // Changed data, changed digest.
    TestPostgres.execute(url, "UPDATE sample SET label = 'changed' WHERE id = 1500");
    Amber.Result changed = Amber.materialise(request);
    assertEquals(0, changed.exitCode(), changed.stderr());
    assertFalse(
        first.summary().get("content_digest").equals(changed.summary().get("content_digest")));
  }

  private static String[] replace(String[] args, String from, String to) {
    return java.util.Arrays.stream(args).map(a -> a.equals(from) ? to : a).toArray(String[]::new);
  }

  private static Map<Path, byte[]> contentsExceptBuildRecords(Path datasetDir) throws Exception {
    List<Path> files =
        Amber.filesUnder(datasetDir).stream()
            .filter(p -> !p.startsWith(datasetDir.resolve("builds")))
            .toList();
    Function<Path, byte[]> read =
        p -> {
          try {
            return Files.readAllBytes(p);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    return files.stream().collect(Collectors.toMap(datasetDir::relativize, read));
  }
}
