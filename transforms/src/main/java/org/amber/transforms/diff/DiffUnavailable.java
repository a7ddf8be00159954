package org.amber.transforms.diff;

/**
 * Why two versions' changes cannot be counted by key (no key, no Parquet shards, a key that is not
 * unique or not in order): one readable line, never a partial count.
 */
public final class DiffUnavailable extends Exception {
  private static final long serialVersionUID = 1L;

  public DiffUnavailable(String reason) {
    super(reason);
  }
}
