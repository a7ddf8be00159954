package org.amber.catalog.domain.model;

import java.util.EnumSet;
import java.util.Set;

/** Where a dataset version is in its life: building, built, or gone. */
public enum VersionStatus {
  /** Recorded, not yet handed to the build queue. */
  PENDING,
  /** Waiting for a free build slot. */
  QUEUED,
  /** Its build process is running. */
  EXECUTING,
  COMPLETED,
  ERROR,
  ABORTED,
  /** Past its TTL; metadata kept, artifacts answer 410. */
  EXPIRED,
  /** Deleted by a client; metadata kept as a tombstone, artifacts answer 410. */
  DELETED;

  /** Statuses of a build that has not ended: identical requests join it. */
  public static final Set<VersionStatus> ACTIVE = EnumSet.of(PENDING, QUEUED, EXECUTING);

  public boolean isActive() {
    return ACTIVE.contains(this);
  }

  /** A build in this status will not change again unless a client or the TTL acts on it. */
  public boolean isFinished() {
    return !isActive();
  }

  /** Its artifacts are gone (or going) for good: 410 Gone. */
  public boolean isTombstone() {
    return this == EXPIRED || this == DELETED;
  }
}
