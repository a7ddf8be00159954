package org.amber.catalog.build;

import org.amber.artifacts.changes.Changes;
import org.amber.catalog.domain.model.BuildError;

/** How a build ended. */
public sealed interface BuildResult {

  /**
   * The build committed content; the fields are its summary line.
   *
   * @param manifestUri {@code <root>/<dataset>/<address>/manifest.json}
   * @param buildRecordUri {@code <root>/<dataset>/builds/<id>.json}
   * @param changes what the build counted against the version it was told to compare with; null
   *     when it compared with none
   */
  record Succeeded(
      String address,
      String manifestUri,
      String contentDigest,
      long rows,
      long bytes,
      String buildRecordUri,
      Changes changes)
      implements BuildResult {

    /** A build that compared with no earlier version. */
    public Succeeded(
        String address,
        String manifestUri,
        String contentDigest,
        long rows,
        long bytes,
        String buildRecordUri) {
      this(address, manifestUri, contentDigest, rows, bytes, buildRecordUri, null);
    }
  }

  record Failed(BuildError error) implements BuildResult {}

  record Cancelled() implements BuildResult {}
}
