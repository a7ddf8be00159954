package org.amber.transforms.diff;

import java.util.Locale;

/** What happened to one key between two versions. */
public enum ChangeKind {
  ADDED,
  REMOVED,
  CHANGED;

  /** The name a changed-keys file records: {@code added}, {@code removed}, {@code changed}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
