package org.amber.catalog.build;

import java.io.IOException;
import java.util.Optional;
import org.amber.catalog.domain.model.Version;

/** Runs builds somewhere other than the catalog's own JVM. */
public interface BuildLauncher extends AutoCloseable {

  /** Starts a build; its end is reported through {@link RunningBuild#result()}. */
  RunningBuild launch(BuildSpec spec, BuildListener listener) throws IOException;

  /**
   * Makes sure a build that was running when the catalog last stopped is no longer running and has
   * left no staging files.
   *
   * @param pid the process it ran as, or null if never recorded
   */
  void cleanUpInterrupted(String dataset, String buildId, Long pid);

  /**
   * Takes up again a build that ran on while the catalog was stopped ({@link RunningBuild#job()}
   * recorded on {@code version}); empty when this launcher cannot, and the build is then cleaned up
   * as interrupted.
   */
  default Optional<RunningBuild> reattach(Version version, BuildListener listener) {
    return Optional.empty();
  }

  /** Releases what the launcher itself holds; builds it launched are left as they are. */
  @Override
  default void close() {}
}
