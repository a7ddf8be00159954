package org.amber.transforms.source;

import java.util.Locale;

/** How the partitions of a build see one point in time (see snapshot.md). */
public enum SnapshotStrategy {
  /** One exported snapshot, imported by every partition reader. */
  EXPORTED("snapshot"),
  /** One transaction, one reader: consistent, not parallel. */
  SINGLE("snapshot"),
  /** Each partition its own transaction. */
  NONE("none");

  private final String consistency;

  SnapshotStrategy(String consistency) {
    this.consistency = consistency;
  }

  /** What the build record's {@code consistency} says. */
  public String consistency() {
    return consistency;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SnapshotStrategy parse(String value) {
    for (SnapshotStrategy strategy : values()) {
      if (strategy.key().equals(value)) {
        return strategy;
      }
    }
    throw new IllegalArgumentException(
        "unknown --snapshot '" + value + "' (exported, single or none)");
  }
}
