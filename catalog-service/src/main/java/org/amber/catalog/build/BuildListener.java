package org.amber.catalog.build;

import org.amber.catalog.domain.model.Progress;

/** Hears from a build while it runs. Called from the launcher's threads. */
public interface BuildListener {
  void onProgress(Progress progress);
}
