package org.amber.catalog.http.pages;

import java.util.List;

/**
 * What the templates show, one record per page. Every string here may be client text (names,
 * descriptions, creators, queries): the templates print it through Pebble's HTML escaping, never
 * raw. The one value printed raw is {@link VersionView#jsonLd}, which {@link JsonLd} made safe.
 */
public final class PageViews {
  private PageViews() {}

  /** {@code /}: the datasets, filtered by {@code q}. */
  public record DatasetsView(String query, List<DatasetRow> datasets, boolean truncated) {}

  /** One dataset in the list; {@code latest} is null before a version completed. */
  public record DatasetRow(String name, String url, String description, String latest) {}

  /** {@code /datasets/{name}}. */
  public record DatasetView(
      String name,
      String description,
      List<CreatorView> creators,
      String license,
      String source,
      String query,
      String table,
      List<String> formats,
      String partitionColumn,
      String schedule,
      String defaultTtl,
      String apiUrl,
      List<VersionRow> versions) {}

  /** A credited person or organisation; affiliation and identifier may be null. */
  public record CreatorView(String name, String affiliation, String identifier) {}

  /** One version in a dataset's list. */
  public record VersionRow(
      int number, String url, String status, String date, String rows, String digest) {}

  /**
   * {@code /datasets/{name}/versions/{version}}: the landing page.
   *
   * @param active a build still queued or running: the page shows progress and updates itself
   * @param tombstone expired or deleted: metadata only, no downloads
   * @param jsonLd schema.org JSON-LD, already safe inside a script element; null without content
   * @param changes against the previous completed version; null for a first version or before
   *     completion
   */
  public record VersionView(
      String dataset,
      int number,
      String datasetUrl,
      String url,
      String apiUrl,
      String status,
      boolean active,
      boolean tombstone,
      ProgressView progress,
      String description,
      List<CreatorView> creators,
      String license,
      String createdAt,
      String finishedAt,
      String expiresAt,
      boolean pinned,
      String contentDigest,
      String rows,
      String errorType,
      String errorMessage,
      List<CitationView> citations,
      List<FieldView> schema,
      List<FileView> files,
      List<DownloadView> downloads,
      String sha256sumsUrl,
      String manifestUrl,
      String jsonLd,
      ChangesView changes) {}

  /**
   * What a version changed against the previous completed one.
   *
   * @param unchanged the same content as that version (same address)
   * @param counted rows were matched by key; when false, {@code reason} says why they were not
   * @param added rows, formatted; null unless counted
   */
  public record ChangesView(
      int comparedWith,
      String comparedWithUrl,
      boolean unchanged,
      boolean counted,
      String key,
      String added,
      String removed,
      String changed,
      String reason,
      String rowsDelta,
      List<String> columnsAdded,
      List<String> columnsRemoved,
      List<String> columnsRetyped) {}

  /**
   * A build's progress; {@code total} is 0 until the build has planned its partitions, and the page
   * shows an indeterminate bar then.
   */
  public record ProgressView(int done, int total, String rows) {}

  /**
   * One citation style. Its text is shown in a read-only text area and copied by a button.
   *
   * @param id unique on the page, for the element ids
   */
  public record CitationView(String id, String label, String mediaType, String text) {}

  /** One column of the schema, as the manifest records it. */
  public record FieldView(String name, String type, boolean nullable, String sourceType) {}

  /** One shard file: {@code size} human readable, {@code bytes} exact. */
  public record FileView(
      String format, String path, String url, String size, long bytes, String sha256) {}

  /** The one-file download of a format. */
  public record DownloadView(String format, String fileName, String url) {}

  /** An error page: 401, 403, 404, 410, 400. */
  public record ErrorView(int status, String title, String message) {}
}
