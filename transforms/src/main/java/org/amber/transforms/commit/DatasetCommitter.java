package org.amber.transforms.commit;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.amber.artifacts.build.BuildRecord;
import org.amber.artifacts.download.OneFilePlan;
import org.amber.artifacts.download.Piece;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.artifacts.manifest.ContentDigest;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.artifacts.manifest.OneFile;
import org.amber.artifacts.manifest.Partitioning;
import org.amber.artifacts.manifest.SchemaField;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.download.StoredOneFile;
import org.amber.transforms.export.ShardResult;
import org.amber.transforms.storage.ArtifactFiles;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Turns a build's staged shards into a committed dataset version, in the order that keeps readers
 * safe: digest the manifest, move the files to the content address, write {@code manifest.json}
 * last (its presence commits the version). An address that already holds a committed manifest is
 * reused and the staged files are deleted: the same content is stored once. The build record
 * ({@code builds/<id>.json}) is written after the commit.
 */
public final class DatasetCommitter {
  private final DatasetLayout layout;
  private final String buildId;

  public DatasetCommitter(DatasetLayout layout, String buildId) {
    this.layout = layout;
    this.buildId = buildId;
  }

  /**
   * The manifest of a build's staged shards: content only, so equal content gives an equal digest.
   * Reads the staged files back to describe each format's one-file download, and writes the merged
   * Parquet footer to staging, so that it moves to the content address with the shards.
   */
  public Manifest manifest(
      List<SchemaField> schema,
      Partitioning partitioning,
      List<ShardFormat> formats,
      String parquetCompression,
      List<ShardResult> shards)
      throws IOException {
    List<ShardResult> ordered = new ArrayList<>(shards);
    ordered.sort(Comparator.comparingInt(ShardResult::index));
    for (int i = 0; i < ordered.size(); i++) {
      if (ordered.get(i).index() != i) {
        throw new IllegalStateException("shard " + i + " is missing or repeated");
      }
    }
    if (ordered.size() != partitioning.shards()) {
      throw new IllegalStateException(
          "expected " + partitioning.shards() + " shards, the build wrote " + ordered.size());
    }
    Map<String, FormatFiles> files = new LinkedHashMap<>();
    long rows = -1;
    for (int f = 0; f < formats.size(); f++) {
      List<ShardFile> formatFiles = new ArrayList<>();
      for (ShardResult shard : ordered) {
        formatFiles.add(shard.files().get(f));
      }
      ShardFormat format = formats.get(f);
      FormatFiles entry =
          new FormatFiles(
              formatFiles,
              format == ShardFormat.PARQUET ? parquetCompression : null,
              download(format, formatFiles));
      if (rows >= 0 && entry.rows() != rows) {
        throw new IllegalStateException(
            "formats disagree on the row count: " + rows + " vs " + entry.rows());
      }
      rows = entry.rows();
      files.put(format.key(), entry);
    }
    return new Manifest(Manifest.VERSION, layout.dataset(), schema, rows, partitioning, files, null)
        .withDigest();
  }

  /** Writes what the one-file download needs beyond the shards, then measures the download. */
  private OneFile download(ShardFormat format, List<ShardFile> shards) throws IOException {
    String staging = layout.stagingDir(buildId);
    OneFile.FooterFile footer = null;
    if (format == ShardFormat.PARQUET) {
      byte[] merged = StoredOneFile.mergedFooter(staging, shards);
      ArtifactFiles.writeDurably(
          staging + OneFile.FooterFile.PATH, merged, "application/octet-stream");
      footer =
          new OneFile.FooterFile(
              OneFile.FooterFile.PATH,
              merged.length,
              HexFormat.of().formatHex(ContentDigest.sha256().digest(merged)));
    }
    List<Piece> pieces =
        OneFilePlan.piecesOf(format, shards, footer)
            .orElseThrow(
                () ->
                    new IllegalStateException("the " + format.key() + " shards cannot be joined"));
    StoredOneFile.Digest digest = StoredOneFile.digest(staging, pieces);
    return new OneFile(digest.bytes(), digest.sha256(), footer);
  }

  /**
   * Commits the staged files of {@code manifest}, then writes the build record.
   *
   * @return the completed build record
   */
  public BuildRecord commit(Manifest manifest, BuildRecord draft) throws IOException {
    String address = manifest.address();
    String manifestUri = layout.manifest(address);
    String staging = layout.stagingDir(buildId);
    List<ResourceId> staged = new ArrayList<>();
    List<ResourceId> committed = new ArrayList<>();
    for (FormatFiles format : manifest.formats().values()) {
      List<String> paths = new ArrayList<>();
      format.files().forEach(file -> paths.add(file.path()));
      if (format.download() != null && format.download().footer() != null) {
        paths.add(format.download().footer().path());
      }
      for (String path : paths) {
        staged.add(ArtifactFiles.file(staging + path));
        committed.add(ArtifactFiles.file(layout.addressDir(address) + path));
      }
    }
    boolean reused = ArtifactFiles.exists(manifestUri);
    if (reused) {
      FileSystems.delete(staged, StandardMoveOptions.IGNORE_MISSING_FILES);
    } else {
      FileSystems.rename(staged, committed);
      String stagedManifest = staging + DatasetLayout.MANIFEST;
      // On disk before the rename that publishes it: a crash must not leave an empty manifest.json
      // (a committed-looking version without content) behind.
      ArtifactFiles.writeDurably(
          stagedManifest, ManifestJson.canonicalBytes(manifest), "application/json");
      FileSystems.rename(
          List.of(ArtifactFiles.file(stagedManifest)), List.of(ArtifactFiles.file(manifestUri)));
      ArtifactFiles.syncFolder(layout.addressDir(address));
    }
    removeStagingFolders(manifest);
    BuildRecord record =
        draft.completed(
            Instant.now().toString(),
            manifest.rowCount(),
            manifest.bytes(),
            manifest.contentDigest(),
            address,
            manifestUri,
            reused);
    ArtifactFiles.write(
        layout.buildRecord(buildId), ManifestJson.canonicalBytes(record), "application/json");
    return record;
  }

  /** Empty folders stay behind on filesystems that have them; remove ours, deepest first. */
  private void removeStagingFolders(Manifest manifest) throws IOException {
    List<ResourceId> folders = new ArrayList<>();
    for (String key : manifest.formats().keySet()) {
      folders.add(
          ArtifactFiles.folder(
              layout.stagingDir(buildId) + ShardFormat.fromKey(key).folder() + "/"));
    }
    folders.add(ArtifactFiles.folder(layout.stagingDir(buildId)));
    for (ResourceId folder : folders) {
      try {
        FileSystems.delete(List.of(folder), StandardMoveOptions.IGNORE_MISSING_FILES);
      } catch (IOException e) {
        // Not empty or not a folder on this filesystem: harmless, staging is never served.
      }
    }
  }
}
