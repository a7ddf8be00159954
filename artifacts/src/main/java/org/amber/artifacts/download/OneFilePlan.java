package org.amber.artifacts.download;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.OneFile;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;

/**
 * How the one-file download of a format is assembled from stored files, without a second copy:
 *
 * <ul>
 *   <li>{@code csv.gz}: shard 0 whole, then every later shard without its first {@code
 *       header_bytes} (its header member) — a valid concatenation of gzip members.
 *   <li>{@code ndjson.gz}: the shards as they are, one after another.
 *   <li>{@code parquet}: {@code PAR1} (shard 0's first four bytes), then every shard's bytes {@code
 *       [4, bytes - footer_bytes)} (its row groups), then the merged footer object.
 * </ul>
 *
 * <p>The build that writes the shards and the service that serves the download both go through
 * here, so the bytes the manifest's {@link OneFile#sha256()} covers are the bytes served.
 */
public final class OneFilePlan {
  private static final long PARQUET_MAGIC = 4;

  private final String fileName;
  private final List<Piece> pieces;
  private final long length;

  private OneFilePlan(String fileName, List<Piece> pieces) {
    this.fileName = fileName;
    this.pieces = List.copyOf(pieces);
    this.length = pieces.stream().mapToLong(Piece::length).sum();
  }

  /**
   * The plan for one format of a manifest, from its shard list alone. For Parquet the merged
   * footer's entry is needed; a manifest written before one-file downloads existed has none.
   *
   * @return empty when the manifest lacks the format or what assembling it needs
   */
  public static Optional<OneFilePlan> of(Manifest manifest, ShardFormat format) {
    FormatFiles files = manifest.formats().get(format.key());
    if (files == null || files.files().isEmpty()) {
      return Optional.empty();
    }
    return piecesOf(format, files.files(), files.download())
        .map(pieces -> new OneFilePlan(fileName(manifest.dataset(), format), pieces));
  }

  /**
   * The pieces of a format's one-file download from its shards, for the build, which knows the
   * merged footer before the manifest exists.
   *
   * @param footer Parquet only: the merged footer; ignored for the other formats
   */
  public static Optional<List<Piece>> piecesOf(
      ShardFormat format, List<ShardFile> shards, OneFile.FooterFile footer) {
    List<Piece> pieces = new ArrayList<>();
    switch (format) {
      case NDJSON_GZ:
        shards.forEach(s -> pieces.add(new Piece(s.path(), 0, s.bytes())));
        return Optional.of(pieces);
      case CSV_GZ:
        for (int i = 0; i < shards.size(); i++) {
          ShardFile s = shards.get(i);
          if (i == 0) {
            pieces.add(new Piece(s.path(), 0, s.bytes()));
          } else if (s.headerBytes() == null) {
            return Optional.empty();
          } else {
            pieces.add(new Piece(s.path(), s.headerBytes(), s.bytes() - s.headerBytes()));
          }
        }
        return Optional.of(pieces);
      case PARQUET:
        if (footer == null || shards.stream().anyMatch(s -> s.footerBytes() == null)) {
          return Optional.empty();
        }
        pieces.add(new Piece(shards.get(0).path(), 0, PARQUET_MAGIC));
        for (ShardFile s : shards) {
          pieces.add(
              new Piece(s.path(), PARQUET_MAGIC, s.bytes() - PARQUET_MAGIC - s.footerBytes()));
        }
        pieces.add(new Piece(footer.path(), 0, footer.bytes()));
        return Optional.of(pieces);
      default:
        throw new IllegalArgumentException("no one-file download for " + format);
    }
  }

  private static Optional<List<Piece>> piecesOf(
      ShardFormat format, List<ShardFile> shards, OneFile download) {
    return piecesOf(format, shards, download == null ? null : download.footer());
  }

  /** The name a user saves the download as: {@code <dataset>.<format key>}. */
  public static String fileName(String dataset, ShardFormat format) {
    return dataset + "." + format.key();
  }

  public String fileName() {
    return fileName;
  }

  /** The stored byte runs whose concatenation is the file, in order. */
  public List<Piece> pieces() {
    return pieces;
  }

  /** The assembled file's length: the sum of its pieces. */
  public long length() {
    return length;
  }
}
