package org.amber.catalog.domain.model;

/**
 * Why a build ended in {@code ERROR}.
 *
 * @param type a stable machine-readable word such as {@code build_failed} or {@code interrupted}
 * @param message one readable line
 */
public record BuildError(String type, String message) {
  public static final String BUILD_FAILED = "build_failed";
  public static final String INTERRUPTED = "interrupted";
  public static final String OUT_OF_MEMORY = "out_of_memory";
  public static final String LAUNCH_FAILED = "launch_failed";
  public static final String CONTENT_REMOVED = "content_removed";

  /** The build held its source snapshot longer than the service allows, and was stopped. */
  public static final String SNAPSHOT_EXPIRED = "snapshot_expired";
}
