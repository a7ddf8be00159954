package org.amber.artifacts.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content of one dataset version: what {@code manifest.json} holds. Nothing time-, host- or
 * run-dependent belongs here, so that the same rows give the same manifest and digest.
 *
 * <p>Build one with {@link #withDigest()} to fill {@code content_digest}; read and write it with
 * {@link ManifestJson}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    @JsonProperty("manifest_version") int manifestVersion,
    @JsonProperty("dataset") String dataset,
    @JsonProperty("schema") List<SchemaField> schema,
    @JsonProperty("row_count") long rowCount,
    @JsonProperty("partitioning") Partitioning partitioning,
    @JsonProperty("formats") Map<String, FormatFiles> formats,
    @JsonProperty("content_digest") String contentDigest)
    implements Serializable {

  public static final int VERSION = 1;

  public Manifest {
    schema = List.copyOf(schema);
    formats = new TreeMap<>(formats);
  }

  /** This manifest with {@code content_digest} set to the digest of the rest of it. */
  public Manifest withDigest() {
    Manifest content = withoutDigest();
    return new Manifest(
        manifestVersion,
        dataset,
        schema,
        rowCount,
        partitioning,
        formats,
        ContentDigest.of(ManifestJson.canonicalBytes(content)).toString());
  }

  /** This manifest without {@code content_digest}: the bytes the digest is taken over. */
  public Manifest withoutDigest() {
    return new Manifest(manifestVersion, dataset, schema, rowCount, partitioning, formats, null);
  }

  /** The content address this manifest's files live under, e.g. {@code sha256-1f0c…}. */
  public String address() {
    if (contentDigest == null) {
      throw new IllegalStateException("manifest has no content digest yet");
    }
    return ContentDigest.parse(contentDigest).address();
  }

  public long bytes() {
    return formats.values().stream().mapToLong(FormatFiles::bytes).sum();
  }
}
