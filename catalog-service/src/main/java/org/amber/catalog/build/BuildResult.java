package org.amber.catalog.build;

import org.amber.catalog.domain.model.BuildError;

/** How a build ended. */
public sealed interface BuildResult {

  /**
   * The build committed content; the fields are its summary line.
   *
   * @param manifestUri {@code <root>/<dataset>/<address>/manifest.json}
   * @param buildRecordUri {@code <root>/<dataset>/builds/<id>.json}
   */
  record Succeeded(
      String address,
      String manifestUri,
      String contentDigest,
      long rows,
      long bytes,
      String buildRecordUri)
      implements BuildResult {}

  record Failed(BuildError error) implements BuildResult {}

  record Cancelled() implements BuildResult {}
}
