package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code amber verify} notices a flipped byte, a missing file and a tampered manifest. */
class VerifyTest {
  @TempDir Path out;
  static String url;

  @BeforeAll
  static void table() throws Exception {
    url = TestPostgres.freshDatabase("verify");
    TestPostgres.execute(
        url,
        "CREATE TABLE item (id int PRIMARY KEY, name text)",
        "INSERT INTO item SELECT g, 'item ' || g FROM generate_series(1, 2000) g");
  }

  private Path build() throws Exception {
    Amber.Result result =
        Amber.materialise(
            "--source",
            url,
            "--table",
            "item",
            "--dataset",
            "items",
            "--partitions",
            "2",
            "--formats",
            "parquet,csv.gz,ndjson.gz",
            "--output",
            out.toUri().toString());
    assertEquals(0, result.exitCode(), result.stderr());
    Amber.Result ok = Amber.run("verify", result.manifestPath().toUri().toString());
    assertEquals(0, ok.exitCode(), ok.stdout());
    return result.manifestPath();
  }

  @Test
  void aFlippedByteIsCaught() throws Exception {
    Path manifest = build();
    Path shard = manifest.getParent().resolve("parquet/part-00001-of-00002.parquet");
    try (RandomAccessFile file = new RandomAccessFile(shard.toFile(), "rw")) {
      file.seek(file.length() / 2);
      int b = file.read();
      file.seek(file.length() / 2);
      file.write(b ^ 0x01);
    }
    Amber.Result result = Amber.run("verify", manifest.toString());
    assertEquals(1, result.exitCode());
    assertTrue(
        result.stdout().contains("parquet/part-00001-of-00002.parquet: sha256"), result.stdout());
    assertEquals(
        1, result.stdout().lines().filter(l -> l.startsWith("mismatch:")).count(), result.stdout());
  }

  @Test
  void aMissingFileIsCaught() throws Exception {
    Path manifest = build();
    Files.delete(manifest.getParent().resolve("csv/part-00000-of-00002.csv.gz"));
    Amber.Result result = Amber.run("verify", manifest.toString());
    assertEquals(1, result.exitCode());
    assertTrue(
        result.stdout().contains("csv/part-00000-of-00002.csv.gz: missing"), result.stdout());
  }

  @Test
  void aTamperedManifestIsCaught() throws Exception {
    Path manifest = build();
    Files.writeString(
        manifest, Files.readString(manifest).replace("\"row_count\":2000", "\"row_count\":2001"));
    Amber.Result result = Amber.run("verify", manifest.toString());
    assertEquals(1, result.exitCode());
    assertTrue(result.stdout().contains("content_digest"), result.stdout());
  }
}
