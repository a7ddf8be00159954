package org.amber.artifacts.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.amber.artifacts.changes.Changes;

/**
 * What a finished build made, printed as the last line of the build process's stdout.
 *
 * @param dataset the dataset the version belongs to
 * @param address the version's content address ({@code sha256-…})
 * @param manifest the URI of the committed {@code manifest.json}
 * @param contentDigest the manifest's content digest ({@code sha256:…})
 * @param build the URI of the build's provenance record
 * @param changes rows added, removed and changed against the version given with {@code
 *     --compare-with}; absent without it
 */
// The key order cli.md documents and scripts read.
@JsonPropertyOrder({
  "dataset",
  "address",
  "manifest",
  "content_digest",
  "rows",
  "bytes",
  "build",
  "changes"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildSummary(
    @JsonProperty("dataset") String dataset,
    @JsonProperty("address") String address,
    @JsonProperty("manifest") String manifest,
    @JsonProperty("content_digest") String contentDigest,
    @JsonProperty("rows") long rows,
    @JsonProperty("bytes") long bytes,
    @JsonProperty("build") String build,
    @JsonProperty("changes") Changes changes) {

  /** A summary without changes: the build compared with no earlier version. */
  public BuildSummary(
      String dataset,
      String address,
      String manifest,
      String contentDigest,
      long rows,
      long bytes,
      String build) {
    this(dataset, address, manifest, contentDigest, rows, bytes, build, null);
  }
}
