package org.amber.pipelines.verify;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.artifacts.manifest.ContentDigest;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.storage.ArtifactFiles;
import org.amber.transforms.storage.ArtifactInputFile;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;

/**
 * Re-reads every file a manifest lists and checks it against the manifest: presence, size, SHA-256,
 * row count (Parquet footers, decoded CSV and NDJSON), the CSV header member, and the content
 * digest and address of the manifest itself. Works on any Beam filesystem.
 */
public final class ManifestVerifier {
  private ManifestVerifier() {}

  /** Every mismatch found, one readable line each; empty when the dataset version is intact. */
  public static List<String> verify(String manifestUri) throws IOException {
    List<String> problems = new ArrayList<>();
    Manifest manifest = ManifestJson.readManifest(readAll(manifestUri));
    String expected = manifest.withDigest().contentDigest();
    if (!expected.equals(manifest.contentDigest())) {
      problems.add(
          "manifest.json: content_digest is "
              + manifest.contentDigest()
              + " but its content digests to "
              + expected);
    }
    if (!manifestUri.endsWith(
        "/" + ContentDigest.parse(expected).address() + "/" + DatasetLayout.MANIFEST)) {
      problems.add(
          "manifest.json: not under its content address "
              + ContentDigest.parse(expected).address());
    }
    String base = manifestUri.substring(0, manifestUri.length() - DatasetLayout.MANIFEST.length());
    for (Map.Entry<String, FormatFiles> entry : manifest.formats().entrySet()) {
      ShardFormat format = ShardFormat.fromKey(entry.getKey());
      long rows = 0;
      for (ShardFile file : entry.getValue().files()) {
        rows += file.rows();
        problems.addAll(verifyFile(format, base + file.path(), file));
      }
      if (rows != manifest.rowCount()) {
        problems.add(
            format.key()
                + ": shards hold "
                + rows
                + " rows, the manifest's row_count is "
                + manifest.rowCount());
      }
    }
    return problems;
  }

  private static List<String> verifyFile(ShardFormat format, String uri, ShardFile file)
      throws IOException {
    List<String> problems = new ArrayList<>();
    String name = file.path();
    MatchResult.Metadata metadata = ArtifactFiles.metadata(uri);
    if (metadata == null) {
      problems.add(name + ": missing");
      return problems;
    }
    ResourceId resource = metadata.resourceId();
    long size = metadata.sizeBytes();
    if (size != file.bytes()) {
      problems.add(name + ": " + size + " bytes, the manifest says " + file.bytes());
    }
    // One read per file: gzip shards are decoded and counted from the same bytes that are hashed.
    MessageDigest sha256 = ContentDigest.sha256();
    long rows = -1;
    String unreadable = null;
    try (InputStream in =
        new DigestInputStream(
            new BufferedInputStream(Channels.newInputStream(FileSystems.open(resource)), 1 << 16),
            sha256)) {
      if (format != ShardFormat.PARQUET) {
        try {
          rows = gzipRows(format, in);
        } catch (IOException | RuntimeException e) {
          unreadable = e.getMessage();
        }
      }
      in.transferTo(OutputStream.nullOutputStream()); // the rest, so that every byte is hashed
    }
    String actual = HexFormat.of().formatHex(sha256.digest());
    if (!actual.equals(file.sha256())) {
      problems.add(name + ": sha256 " + actual + ", the manifest says " + file.sha256());
      return problems; // the content is wrong; counting its rows would only add noise
    }
    try {
      if (format == ShardFormat.PARQUET) {
        rows = parquetRows(resource, file);
      } else if (unreadable != null) {
        throw new IOException(unreadable);
      }
    } catch (IOException | RuntimeException e) {
      problems.add(name + ": cannot be read as " + format.key() + ": " + e.getMessage());
      return problems;
    }
    if (rows != file.rows()) {
      problems.add(name + ": holds " + rows + " rows, the manifest says " + file.rows());
    }
    if (format == ShardFormat.CSV_GZ) {
      problems.addAll(verifyCsvHeader(resource, file));
    }
    return problems;
  }

  private static long parquetRows(ResourceId resource, ShardFile file) throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(new ArtifactInputFile(resource, file.bytes()))) {
      return reader.getFooter().getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum();
    }
  }

  /**
   * Rows of a CSV.gz (records less the header) or NDJSON.gz (lines) shard; leaves {@code in} open.
   */
  private static long gzipRows(ShardFormat format, InputStream in) throws IOException {
    InputStream text =
        new GZIPInputStream(in, 1 << 16); // not closed: the caller hashes the rest of in
    if (format == ShardFormat.CSV_GZ) {
      return countCsvRecords(text) - 1;
    }
    long lines = 0;
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = text.read(buffer)) > 0; ) {
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          lines++;
        }
      }
    }
    return lines;
  }

  /** RFC 4180 records: line ends outside quotes. */
  private static long countCsvRecords(InputStream csv) throws IOException {
    long records = 0;
    boolean quoted = false;
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = csv.read(buffer)) > 0; ) {
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '"') {
          quoted = !quoted;
        } else if (buffer[i] == '\n' && !quoted) {
          records++;
        }
      }
    }
    return records;
  }

  /** The first {@code header_bytes} must be a gzip member of its own holding one line. */
  private static List<String> verifyCsvHeader(ResourceId resource, ShardFile file)
      throws IOException {
    if (file.headerBytes() == null) {
      return List.of(file.path() + ": the manifest gives no header_bytes");
    }
    byte[] head = new byte[(int) Math.min(file.headerBytes(), file.bytes())];
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource))) {
      in.readNBytes(head, 0, head.length);
    }
    try (InputStream header = new GZIPInputStream(new ByteArrayInputStream(head))) {
      if (countCsvRecords(header) != 1) {
        return List.of(
            file.path()
                + ": the first "
                + head.length
                + " bytes do not hold exactly the header line");
      }
    } catch (IOException e) {
      return List.of(
          file.path() + ": the first " + head.length + " bytes are not one complete gzip member");
    }
    return List.of();
  }

  private static byte[] readAll(String uri) throws IOException {
    try {
      return ArtifactFiles.read(uri);
    } catch (java.io.FileNotFoundException e) {
      throw new IOException("no manifest at " + uri, e);
    }
  }
}
