package org.amber.transforms.diff;

import java.io.IOException;
import org.amber.artifacts.changes.Changes;
import org.amber.artifacts.manifest.Manifest;

/**
 * The {@link Changes} a build records against an earlier version: the counts of {@link
 * VersionDiff}, or why there are none. Never throws: a diff that cannot be made must not fail the
 * build that asked for it.
 */
public final class VersionChanges {
  private VersionChanges() {}

  public static Changes between(String beforeUri, String afterUri) {
    String comparedWith = null;
    try {
      Manifest before = VersionDiff.readManifest(beforeUri);
      comparedWith = before.contentDigest();
      Manifest after = VersionDiff.readManifest(afterUri);
      VersionDiff.Result r = VersionDiff.compare(beforeUri, before, afterUri, after, null);
      return Changes.counted(comparedWith, r.key(), r.added(), r.removed(), r.changed());
    } catch (DiffUnavailable e) {
      return Changes.unavailable(comparedWith, e.getMessage());
    } catch (IOException | RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Changes.unavailable(
          comparedWith,
          "the versions could not be read: " + message.replaceAll("\\s*\\R\\s*", " "));
    }
  }
}
