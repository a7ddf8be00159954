package org.amber.catalog.build;

import org.amber.artifacts.build.BuildRecord;
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

    /** What a committed build's record says it made. */
    public static Succeeded of(BuildRecord record, String buildRecordUri) {
      return new Succeeded(
          record.address(),
          record.manifest(),
          record.contentDigest(),
          record.rows(),
          record.bytes(),
          buildRecordUri,
          record.changes());
    }
  }

  record Failed(BuildError error) implements BuildResult {}

  record Cancelled() implements BuildResult {}
}
