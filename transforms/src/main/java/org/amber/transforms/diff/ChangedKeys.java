package org.amber.transforms.diff;

import java.io.IOException;

/** Receives each changed key of a diff, in key order (rows with a NULL key last). */
@FunctionalInterface
public interface ChangedKeys {
  /**
   * @param kind what happened to the row
   * @param key the key in its canonical Java form, null for a row whose key is NULL
   */
  void accept(ChangeKind kind, Object key) throws IOException;
}
