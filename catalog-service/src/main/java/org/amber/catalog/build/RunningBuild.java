package org.amber.catalog.build;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** A build in progress. */
public interface RunningBuild {
  /** The operating-system process the build runs as, for stopping it after a restart. */
  OptionalLong pid();

  /**
   * The job the build runs as elsewhere (e.g. {@code dataflow:projects/P/locations/R/jobs/ID}),
   * recorded so that a restarted catalog can {@link BuildLauncher#reattach} to it; empty for a
   * local process.
   */
  default Optional<String> job() {
    return Optional.empty();
  }

  /** Completes once the build has ended and left nothing running. */
  CompletableFuture<BuildResult> result();

  /**
   * Stops the build and removes its staging files; the result then completes {@link
   * BuildResult.Cancelled} unless the build had already ended.
   */
  void cancel();

  /**
   * The catalog is stopping: stop watching a build that goes on without it, to be re-attached after
   * the restart; its result then never completes here. False (the default) for a build that cannot
   * outlive the service, which is then cancelled instead.
   */
  default boolean detach() {
    return false;
  }
}
