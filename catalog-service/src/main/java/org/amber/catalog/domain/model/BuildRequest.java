package org.amber.catalog.domain.model;

import java.util.List;

/**
 * What one build reads and writes, frozen into the version when the build is requested so that a
 * later change of the dataset's definition does not change a build already asked for. Identical
 * requests for one dataset are one build (single-flight).
 *
 * @param source the name of an operator-configured source, never a URL
 * @param query a single read-only SELECT, or null when {@code table} is given
 * @param table {@code schema.name} or {@code name}, or null when {@code query} is given
 * @param formats manifest keys such as {@code parquet}, sorted, without duplicates
 * @param partitionColumn null to let the pipeline choose
 * @param partitions null to let the pipeline choose
 */
public record BuildRequest(
    String source,
    String query,
    String table,
    List<String> formats,
    String partitionColumn,
    Integer partitions) {

  public BuildRequest {
    formats = List.copyOf(formats);
  }
}
