package org.amber.transforms.download;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.amber.artifacts.download.Piece;
import org.amber.artifacts.manifest.ContentDigest;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.transforms.storage.ArtifactFiles;
import org.apache.parquet.format.FileMetaData;

/**
 * Reads a format's one-file download from stored files under one folder (a staging folder or a
 * content address) on any Beam filesystem: its length and SHA-256, and Parquet's merged footer.
 */
public final class StoredOneFile {
  /** Read buffer: fixed, whatever the size of the pieces. */
  private static final int BUFFER = 1 << 20;

  private StoredOneFile() {}

  /** Length and hex SHA-256 of an assembled file. */
  public record Digest(long bytes, String sha256) {}

  /**
   * Streams the pieces, in order, through SHA-256.
   *
   * @param folder the folder the pieces' paths are relative to, ending in {@code /}
   */
  public static Digest digest(String folder, List<Piece> pieces) throws IOException {
    MessageDigest sha256 = ContentDigest.sha256();
    long[] count = {0};
    OutputStream sink =
        new DigestOutputStream(OutputStream.nullOutputStream(), sha256) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            super.write(b, off, len);
            count[0] += len;
          }
        };
    byte[] buffer = new byte[BUFFER];
    for (Piece piece : pieces) {
      ArtifactFiles.copyRange(folder + piece.path(), piece.offset(), piece.length(), sink, buffer);
    }
    return new Digest(count[0], HexFormat.of().formatHex(sha256.digest()));
  }

  /**
   * The footer of a stored Parquet shard, read from its last {@code footer_bytes}.
   *
   * @throws IOException when the file is unreadable or its tail holds no footer
   */
  public static FileMetaData shardFooter(String folder, ShardFile shard) throws IOException {
    if (shard.footerBytes() == null
        || shard.footerBytes() < 8
        || shard.footerBytes() > Math.min(Integer.MAX_VALUE, shard.bytes() - 4)) {
      throw new IOException(
          shard.path() + ": footer_bytes " + shard.footerBytes() + " cannot hold a Parquet footer");
    }
    byte[] tail =
        ArtifactFiles.readRange(
            folder + shard.path(),
            shard.bytes() - shard.footerBytes(),
            (int) (long) shard.footerBytes());
    try {
      return MergedParquetFooter.footerOf(tail);
    } catch (IOException e) {
      throw new IOException(shard.path() + ": " + e.getMessage(), e);
    }
  }

  /** The merged footer object of stored Parquet shards (see {@link MergedParquetFooter}). */
  public static byte[] mergedFooter(String folder, List<ShardFile> shards) throws IOException {
    List<FileMetaData> footers = new ArrayList<>();
    List<Long> dataLengths = new ArrayList<>();
    for (ShardFile shard : shards) {
      footers.add(shardFooter(folder, shard));
      dataLengths.add(shard.bytes() - MergedParquetFooter.MAGIC_BYTES - shard.footerBytes());
    }
    return MergedParquetFooter.merge(footers, dataLengths);
  }
}
