package org.amber.catalog.build;

import java.io.IOException;

/** Runs builds somewhere other than the catalog's own JVM. */
public interface BuildLauncher {

  /** Starts a build; its end is reported through {@link RunningBuild#result()}. */
  RunningBuild launch(BuildSpec spec, BuildListener listener) throws IOException;

  /**
   * Makes sure a build that was running when the catalog last stopped is no longer running and has
   * left no staging files.
   *
   * @param pid the process it ran as, or null if never recorded
   */
  void cleanUpInterrupted(String dataset, String buildId, Long pid);
}
