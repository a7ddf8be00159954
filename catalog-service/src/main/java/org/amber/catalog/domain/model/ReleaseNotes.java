package org.amber.catalog.domain.model;

import org.amber.artifacts.changes.Changes;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.SchemaChanges;

/**
 * What one version brings against the previous completed version of its dataset: its size and how
 * that moved, the rows changed by key, and the columns added, removed or retyped.
 *
 * @param comparedWith the previous version's number; null for a first version (and then every delta
 *     is null)
 * @param changes null when the build compared with nothing
 */
public record ReleaseNotes(
    long rows,
    long bytes,
    Integer comparedWith,
    Long rowsDelta,
    Long bytesDelta,
    VersionChanges changes,
    SchemaChanges schemaChanges) {

  /**
   * The notes of a version with manifest {@code current}.
   *
   * @param previousNumber the version compared with, or null when there is none
   * @param previous its manifest, null with {@code previousNumber}
   * @param counted what the build reported against {@code previous}, or null when it compared with
   *     nothing
   */
  public static ReleaseNotes of(
      Manifest current, Integer previousNumber, Manifest previous, Changes counted) {
    VersionChanges changes =
        counted == null
            ? null
            : new VersionChanges(
                previousNumber,
                counted.available(),
                counted.key(),
                counted.added(),
                counted.removed(),
                counted.changed(),
                counted.reason());
    if (previous == null) {
      return new ReleaseNotes(current.rowCount(), current.bytes(), null, null, null, changes, null);
    }
    return new ReleaseNotes(
        current.rowCount(),
        current.bytes(),
        previousNumber,
        current.rowCount() - previous.rowCount(),
        current.bytes() - previous.bytes(),
        changes,
        SchemaChanges.between(previous.schema(), current.schema()));
  }
}
