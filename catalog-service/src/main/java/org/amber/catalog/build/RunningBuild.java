package org.amber.catalog.build;

import java.util.concurrent.CompletableFuture;

/** A build in progress. */
public interface RunningBuild {
  /** The operating-system process the build runs as, for stopping it after a restart. */
  long pid();

  /** Completes once the build has ended and left nothing running. */
  CompletableFuture<BuildResult> result();

  /**
   * Stops the build and removes its staging files; the result then completes {@link
   * BuildResult.Cancelled} unless the build had already ended.
   */
  void cancel();
}
