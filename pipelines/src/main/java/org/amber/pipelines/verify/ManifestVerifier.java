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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.amber.artifacts.download.OneFilePlan;
import org.amber.artifacts.download.Piece;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.artifacts.manifest.ContentDigest;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.artifacts.manifest.OneFile;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.download.MergedParquetFooter;
import org.amber.transforms.download.StoredOneFile;
import org.amber.transforms.storage.ArtifactFiles;
import org.amber.transforms.storage.ArtifactInputFile;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * Re-reads every file a manifest lists and checks it against the manifest: presence, size, SHA-256,
 * row count (Parquet footers, decoded CSV and NDJSON), the CSV header member, each Parquet shard's
 * {@code footer_bytes}, each format's one-file download (Parquet's merged footer, and the assembled
 * file's length and SHA-256), and the content digest and address of the manifest itself. Works on
 * any Beam filesystem.
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
      int before = problems.size();
      for (ShardFile file : entry.getValue().files()) {
        rows += file.rows();
        problems.addAll(verifyFile(format, base + file.path(), file));
      }
      if (entry.getValue().download() != null) {
        // a download made of wrong shards is wrong too; saying so again would only add noise
        problems.addAll(
            verifyDownload(format, base, manifest, entry.getValue(), problems.size() == before));
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
        ParquetMetadata footer = parquetFooter(resource, file);
        rows = footer.getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum();
        if (file.footerBytes() != null) { // absent from manifests older than one-file downloads
          problems.addAll(verifyFooterBytes(file, footer));
        }
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

  private static ParquetMetadata parquetFooter(ResourceId resource, ShardFile file)
      throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(new ArtifactInputFile(resource, file.bytes()))) {
      return reader.getFooter();
    }
  }

  /** A shard's {@code footer_bytes} against where parquet-java says its last column chunk ends. */
  private static List<String> verifyFooterBytes(ShardFile file, ParquetMetadata footer) {
    long dataEnd = MergedParquetFooter.MAGIC_BYTES;
    for (BlockMetaData block : footer.getBlocks()) {
      for (ColumnChunkMetaData column : block.getColumns()) {
        dataEnd = Math.max(dataEnd, column.getStartingPos() + column.getTotalSize());
      }
    }
    long tail = file.bytes() - dataEnd;
    if (file.footerBytes() != tail) {
      return List.of(
          file.path()
              + ": footer_bytes is "
              + file.footerBytes()
              + ", but "
              + tail
              + " bytes follow its last row group");
    }
    return List.of();
  }

  /**
   * A format's one-file download: Parquet's merged footer object (size, SHA-256, rows and row
   * groups against the shards, equal to the footer merged again from them), then, when every piece
   * is intact, the assembled file's length and SHA-256, streamed as a server would send it.
   */
  private static List<String> verifyDownload(
      ShardFormat format, String base, Manifest manifest, FormatFiles files, boolean shardsIntact)
      throws IOException {
    List<String> problems = new ArrayList<>();
    String name = format.key() + " download";
    OneFile download = files.download();
    if (format == ShardFormat.PARQUET) {
      OneFile.FooterFile footer = download.footer();
      if (footer == null) {
        return List.of(name + ": the manifest names no merged footer");
      }
      problems.addAll(verifyMergedFooter(base, manifest, files, footer));
    }
    if (!problems.isEmpty() || !shardsIntact) {
      return problems;
    }
    Optional<List<Piece>> pieces = OneFilePlan.piecesOf(format, files.files(), download.footer());
    if (pieces.isEmpty()) {
      return List.of(name + ": the manifest lacks what assembling it needs");
    }
    StoredOneFile.Digest actual = StoredOneFile.digest(base, pieces.get());
    if (actual.bytes() != download.bytes()) {
      problems.add(name + ": " + actual.bytes() + " bytes, the manifest says " + download.bytes());
    } else if (!actual.sha256().equals(download.sha256())) {
      problems.add(
          name + ": sha256 " + actual.sha256() + ", the manifest says " + download.sha256());
    }
    return problems;
  }

  private static List<String> verifyMergedFooter(
      String base, Manifest manifest, FormatFiles files, OneFile.FooterFile footer)
      throws IOException {
    String name = footer.path();
    MatchResult.Metadata metadata = ArtifactFiles.metadata(base + name);
    if (metadata == null) {
      return List.of(name + ": missing");
    }
    if (metadata.sizeBytes() != footer.bytes()) {
      return List.of(
          name + ": " + metadata.sizeBytes() + " bytes, the manifest says " + footer.bytes());
    }
    byte[] bytes = ArtifactFiles.read(base + name);
    String sha256 = HexFormat.of().formatHex(ContentDigest.sha256().digest(bytes));
    if (!sha256.equals(footer.sha256())) {
      return List.of(name + ": sha256 " + sha256 + ", the manifest says " + footer.sha256());
    }
    FileMetaData merged;
    try {
      merged = MergedParquetFooter.footerOf(bytes);
    } catch (IOException | RuntimeException e) {
      return List.of(name + ": not a Parquet footer: " + e.getMessage());
    }
    if (merged.getNum_rows() != manifest.rowCount()) {
      return List.of(
          name
              + ": holds "
              + merged.getNum_rows()
              + " rows, the manifest's row_count is "
              + manifest.rowCount());
    }
    byte[] expected;
    try {
      expected = StoredOneFile.mergedFooter(base, files.files());
    } catch (IOException | RuntimeException e) {
      return List.of(name + ": cannot be merged again from the shards: " + e.getMessage());
    }
    if (!Arrays.equals(expected, bytes)) {
      return List.of(name + ": differs from the footer merged again from the shards");
    }
    return List.of();
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
