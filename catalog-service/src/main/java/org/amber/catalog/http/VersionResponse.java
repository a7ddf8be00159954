package org.amber.catalog.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.amber.artifacts.download.OneFilePlan;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.OneFile;
import org.amber.artifacts.manifest.SchemaChanges;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.catalog.domain.citation.CitationStyle;
import org.amber.catalog.domain.citation.Citations;
import org.amber.catalog.domain.citation.CitedVersion;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.ReleaseNotes;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.domain.model.VersionChanges;

/**
 * One version of a dataset as the API shows it.
 *
 * @param rows absent (not null) until the version has a manifest
 * @param citation the version's {@code text} citation ({@link CitationStyle#TEXT}); null until
 *     there is content
 * @param scheduledFor the timetable run that started it; null when a client asked for it
 * @param unchanged its content equals the previous completed version's (same address)
 * @param changes rows added, removed and changed against the previous version; null when the build
 *     compared with none (a first version)
 * @param releaseNotes size, changes and schema changes against the previous version; null until
 *     completed
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
    String citation,
    String scheduledFor,
    boolean unchanged,
    ChangesView changes,
    ReleaseNotesView releaseNotes) {

  static String path(String dataset, int number) {
    return DatasetView.path(dataset) + "/versions/" + number;
  }

  /**
   * @param definition for the citation; null when the dataset is gone
   * @param manifest the version's manifest, null before it completed
   * @param publicUrl the service's external base URL, for the citation's landing page
   */
  static VersionResponse of(
      Version v, DatasetDefinition definition, Manifest manifest, String publicUrl) {
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
        citation(v, definition, publicUrl),
        Json.time(v.scheduledFor()),
        v.unchanged(),
        v.releaseNotes() == null ? null : ChangesView.of(v.releaseNotes().changes()),
        ReleaseNotesView.of(v.releaseNotes()));
  }

  /** The {@code text} citation; null for a version that cannot be cited. */
  private static String citation(Version v, DatasetDefinition d, String publicUrl) {
    return CitedVersion.citable(v)
        ? Citations.render(CitationStyle.TEXT, CitedVersion.of(v, d, publicUrl))
        : null;
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

  /**
   * Changes by key, or why there are none: {@code available} says which fields are there.
   *
   * @param comparedWith the version number compared with
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ChangesView(
      boolean available,
      Integer comparedWith,
      String key,
      Long added,
      Long removed,
      Long changed,
      String reason) {

    static ChangesView of(VersionChanges c) {
      return c == null
          ? null
          : new ChangesView(
              c.available(),
              c.comparedWith(),
              c.key(),
              c.added(),
              c.removed(),
              c.changed(),
              c.reason());
    }
  }

  /** What a version brings against the previous one. */
  record ReleaseNotesView(
      long rows,
      long bytes,
      Integer comparedWith,
      Long rowsDelta,
      Long bytesDelta,
      ChangesView changes,
      SchemaChangesView schemaChanges) {

    static ReleaseNotesView of(ReleaseNotes n) {
      return n == null
          ? null
          : new ReleaseNotesView(
              n.rows(),
              n.bytes(),
              n.comparedWith(),
              n.rowsDelta(),
              n.bytesDelta(),
              ChangesView.of(n.changes()),
              SchemaChangesView.of(n.schemaChanges()));
    }
  }

  /** Columns added, removed and retyped, by name. */
  record SchemaChangesView(
      List<String> columnsAdded, List<String> columnsRemoved, List<RetypedView> columnsRetyped) {

    static SchemaChangesView of(SchemaChanges s) {
      return s == null
          ? null
          : new SchemaChangesView(
              s.added(),
              s.removed(),
              s.retyped().stream().map(r -> new RetypedView(r.name(), r.from(), r.to())).toList());
    }
  }

  /** A column whose type changed, as manifest type names. */
  record RetypedView(String name, String from, String to) {}
}
