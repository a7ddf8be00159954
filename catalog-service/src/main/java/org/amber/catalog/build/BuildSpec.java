package org.amber.catalog.build;

import java.time.Duration;
import java.util.List;

/**
 * Everything a launcher needs to run one build, with the source resolved to its URL.
 *
 * @param source the configured source's name, for settings kept per source
 * @param sourcePassword null when the URL carries it or none is needed
 * @param query null when {@code table} is given
 * @param table null when {@code query} is given
 * @param statementTimeout the source's statement timeout
 * @param compareWith the manifest URI of the previous completed version, which the build counts its
 *     changes against; null for none
 */
public record BuildSpec(
    String buildId,
    String dataset,
    String source,
    String sourceUrl,
    String sourcePassword,
    String query,
    String table,
    List<String> formats,
    String partitionColumn,
    Integer partitions,
    Duration statementTimeout,
    String compareWith) {

  @Override
  public String toString() {
    return "build " + buildId + " of " + dataset;
  }
}
