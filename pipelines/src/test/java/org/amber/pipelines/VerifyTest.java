package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.artifacts.manifest.OneFile;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code amber verify} notices a flipped byte, a missing file, a tampered manifest, a corrupted
 * merged Parquet footer and a wrong {@code footer_bytes}.
 */
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

  @Test
  void aCorruptedMergedFooterIsCaught() throws Exception {
    Path manifest = build();
    Path footer = manifest.getParent().resolve("parquet/merged-footer.bin");
    byte[] bytes = Files.readAllBytes(footer);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(footer, bytes);
    Amber.Result result = Amber.run("verify", manifest.toString());
    assertEquals(1, result.exitCode());
    assertTrue(result.stdout().contains("parquet/merged-footer.bin: sha256"), result.stdout());
    assertEquals(
        1, result.stdout().lines().filter(l -> l.startsWith("mismatch:")).count(), result.stdout());
  }

  @Test
  void aWrongFooterBytesIsCaught() throws Exception {
    Path manifest = build();
    Manifest read = ManifestJson.readManifest(Files.readAllBytes(manifest));
    FormatFiles parquet = read.formats().get("parquet");
    List<ShardFile> files = new ArrayList<>(parquet.files());
    ShardFile second = files.get(1);
    files.set(
        1,
        new ShardFile(
            second.path(),
            second.rows(),
            second.bytes(),
            second.sha256(),
            null,
            second.footerBytes() + 1));
    rewrite(manifest, "parquet", new FormatFiles(files, parquet.compression(), parquet.download()));
    Amber.Result result = Amber.run("verify", manifest.toString());
    assertEquals(1, result.exitCode());
    assertTrue(
        result
            .stdout()
            .contains(
                "parquet/part-00001-of-00002.parquet: footer_bytes is "
                    + (second.footerBytes() + 1)
                    + ", but "
                    + second.footerBytes()
                    + " bytes follow its last row group"),
        result.stdout());
  }

  @Test
  void aWrongDownloadDigestIsCaught() throws Exception {
    Path manifest = build();
    FormatFiles csv =
        ManifestJson.readManifest(Files.readAllBytes(manifest)).formats().get("csv.gz");
    OneFile download = csv.download();
    rewrite(
        manifest,
        "csv.gz",
        new FormatFiles(
            csv.files(), null, new OneFile(download.bytes(), "0".repeat(64), download.footer())));
    Amber.Result result = Amber.run("verify", manifest.toString());
    assertEquals(1, result.exitCode());
    assertTrue(
        result.stdout().contains("csv.gz download: sha256 " + download.sha256()), result.stdout());
  }

  /** Replaces one format's entry and re-digests, as a careless hand would. */
  private static void rewrite(Path manifest, String format, FormatFiles entry) throws Exception {
    Manifest read = ManifestJson.readManifest(Files.readAllBytes(manifest));
    Map<String, FormatFiles> formats = new TreeMap<>(read.formats());
    formats.put(format, entry);
    Manifest tampered =
        new Manifest(
                read.manifestVersion(),
                read.dataset(),
                read.schema(),
                read.rowCount(),
                read.partitioning(),
                formats,
                null)
            .withDigest();
    Files.write(manifest, ManifestJson.canonicalBytes(tampered));
  }
}
