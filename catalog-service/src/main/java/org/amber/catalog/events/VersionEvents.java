package org.amber.catalog.events;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.amber.catalog.model.VersionKey;

/**
 * Tells waiters that a version's status changed, so long polls and {@code Prefer: wait} need
 * neither a thread per waiter nor polling of the database. Take {@link #nextChange} before
 * reading the state it guards: a change after the read then completes the future.
 */
public final class VersionEvents {
  private final ConcurrentMap<VersionKey, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

  /** Completes at the next status change of {@code key}. */
  public CompletableFuture<Void> nextChange(VersionKey key) {
    return pending.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  public void statusChanged(VersionKey key) {
    CompletableFuture<Void> waiting = pending.remove(key);
    if (waiting != null) {
      waiting.complete(null);
    }
  }
}
