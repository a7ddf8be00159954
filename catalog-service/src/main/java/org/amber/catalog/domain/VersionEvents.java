package org.amber.catalog.domain;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.amber.catalog.domain.model.VersionKey;

/**
 * Tells waiters that a version's status changed, so long polls and {@code Prefer: wait} need
 * neither a thread per waiter nor polling of the database. Take {@link #nextChange} before reading
 * the state it guards: a change after the read then completes the future.
 *
 * <p>Each waiter has a future of its own that leaves the map when it completes, by a change or by
 * its timeout, so versions that never change again do not keep their waiters' entries forever.
 */
public final class VersionEvents {
  private final ConcurrentMap<VersionKey, Set<CompletableFuture<Void>>> waiting =
      new ConcurrentHashMap<>();
  private final List<Consumer<VersionKey>> listeners = new CopyOnWriteArrayList<>();

  /**
   * Calls {@code listener} after every status change, on the thread that made it, so it must hand
   * any real work to a thread of its own.
   */
  public void onStatusChange(Consumer<VersionKey> listener) {
    listeners.add(listener);
  }

  /** Completes at the next status change of {@code key}, or when {@code timeout} has passed. */
  public CompletableFuture<Void> nextChange(VersionKey key, Duration timeout) {
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    // The per-key sets are only touched inside the map's atomic per-key operations.
    waiting.compute(
        key,
        (k, waiters) -> {
          Set<CompletableFuture<Void>> set = waiters == null ? new HashSet<>() : waiters;
          set.add(waiter);
          return set;
        });
    // A waiter that gives up (cancels) leaves at once; one that times out leaves before it
    // completes, so whoever sees it complete sees it gone.
    waiter.whenComplete((ignored, error) -> forget(key, waiter));
    CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .execute(
            () -> {
              forget(key, waiter);
              waiter.complete(null);
            });
    return waiter;
  }

  public void statusChanged(VersionKey key) {
    Set<CompletableFuture<Void>> waiters = waiting.remove(key);
    if (waiters != null) {
      waiters.forEach(w -> w.complete(null));
    }
    listeners.forEach(l -> l.accept(key));
  }

  private void forget(VersionKey key, CompletableFuture<Void> waiter) {
    waiting.computeIfPresent(
        key,
        (k, waiters) -> {
          waiters.remove(waiter);
          return waiters.isEmpty() ? null : waiters;
        });
  }

  /** How many waiters are registered, over all versions. */
  int waiters() {
    return waiting.values().stream().mapToInt(Set::size).sum();
  }
}
