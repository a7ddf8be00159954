package org.amber.catalog.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.amber.artifacts.download.OneFilePlan;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.OneFile;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Version;

/**
 * One version of a dataset as the API shows it.
 *
 * @param rows absent (not null) until the version has a manifest
 * @param citation a plain-text citation in the DataCite recommended form; null until there is
 *     content
 */
record VersionResponse(
    String dataset,
    int version,
    String url,
    String status,
    String buildId,
    ProgressView progress,
    String createdAt,
    String startedAt,
    String finishedAt,
    String expiresAt,
    String ttl,
    boolean pinned,
    String contentDigest,
    String address,
    String manifestUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long rows,
    List<FileView> files,
    List<DownloadView> downloads,
    String sha256sumsUrl,
    String filesDeletedAt,
    ErrorView error,
    String citation) {

  static String path(String dataset, int number) {
    return DatasetView.path(dataset) + "/versions/" + number;
  }

  /**
   * @param definition for the citation; null when the dataset is gone
   * @param manifest the version's manifest, null before it completed
   */
  static VersionResponse of(Version v, DatasetDefinition definition, Manifest manifest) {
    String path = path(v.dataset(), v.number());
    List<FileView> files = new ArrayList<>();
    List<DownloadView> downloads = new ArrayList<>();
    if (manifest != null) {
      for (Map.Entry<String, FormatFiles> format : manifest.formats().entrySet()) {
        OneFile recorded = format.getValue().download();
        OneFilePlan.of(manifest, ShardFormat.fromKey(format.getKey()))
            .ifPresent(
                plan ->
                    downloads.add(
                        new DownloadView(
                            format.getKey(),
                            plan.fileName(),
                            plan.length(),
                            recorded == null ? null : recorded.sha256(),
                            path + "/download/" + plan.fileName())));
      }
      for (Map.Entry<String, FormatFiles> format : manifest.formats().entrySet()) {
        for (ShardFile f : format.getValue().files()) {
          files.add(
              new FileView(
                  format.getKey(),
                  f.path(),
                  f.rows(),
                  f.bytes(),
                  f.sha256(),
                  path + "/files/" + f.path()));
        }
      }
    }
    return new VersionResponse(
        v.dataset(),
        v.number(),
        path,
        v.status().name(),
        v.buildId(),
        ProgressView.of(v),
        Json.time(v.createdAt()),
        Json.time(v.startedAt()),
        Json.time(v.finishedAt()),
        Json.time(v.expiresAt()),
        v.ttl() == null ? null : v.ttl().toString(),
        v.pinned(),
        v.contentDigest(),
        v.address(),
        manifest == null ? null : path + "/manifest.json",
        manifest == null ? null : manifest.rowCount(),
        files,
        downloads,
        manifest == null ? null : path + "/SHA256SUMS",
        Json.time(v.filesDeletedAt()),
        v.error() == null ? null : new ErrorView(v.error().type(), v.error().message()),
        citation(v, definition));
  }

  private static String citation(Version v, DatasetDefinition d) {
    if (v.contentDigest() == null || v.finishedAt() == null) {
      return null;
    }
    List<DatasetDefinition.Creator> creators = d == null ? List.of() : d.creators();
    String who =
        creators.isEmpty()
            ? ""
            : creators.stream()
                    .map(DatasetDefinition.Creator::name)
                    .collect(Collectors.joining("; "))
                + " ";
    int year = v.finishedAt().atZone(ZoneOffset.UTC).getYear();
    return who
        + "("
        + year
        + "). "
        + v.dataset()
        + " (Version "
        + v.number()
        + ") [Data set]. Amber. "
        + v.contentDigest();
  }

  /** How far a build got. */
  record ProgressView(int partitionsDone, int partitionsTotal, long rows, long bytes) {

    static ProgressView of(Version v) {
      return new ProgressView(
          v.progress().partitionsDone(),
          v.progress().partitionsTotal(),
          v.progress().rows(),
          v.progress().bytes());
    }
  }

  /** One file of one format, with where to download it. */
  record FileView(String format, String path, long rows, long bytes, String sha256, String url) {}

  /**
   * A format's one-file download.
   *
   * @param sha256 null for a version built before the manifest recorded it (SHA256SUMS has it)
   */
  record DownloadView(String format, String name, long bytes, String sha256, String url) {}

  /** Why a build failed. */
  record ErrorView(String type, String message) {}
}
