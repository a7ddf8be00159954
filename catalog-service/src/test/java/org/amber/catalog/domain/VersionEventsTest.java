package org.amber.catalog.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.amber.catalog.domain.model.VersionKey;
import org.junit.jupiter.api.Test;

/** Waiters on version changes: woken by a change, and gone from the map once they time out. */
class VersionEventsTest {
  private final VersionEvents events = new VersionEvents();

  @Test
  void timedOutWaitersLeaveNoEntries() throws Exception {
    List<CompletableFuture<Void>> waiters = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      // Versions that never change again, as a finished or forgotten build's.
      waiters.add(events.nextChange(new VersionKey("d" + (i % 10), i), Duration.ofMillis(20)));
    }
    assertTrue(events.waiters() > 0);
    CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertEquals(0, events.waiters());
  }

  @Test
  void aChangeWakesEveryWaiterOfThatVersionOnly() throws Exception {
    VersionKey changed = new VersionKey("d", 1);
    VersionKey other = new VersionKey("d", 2);
    CompletableFuture<Void> first = events.nextChange(changed, Duration.ofMinutes(1));
    CompletableFuture<Void> second = events.nextChange(changed, Duration.ofMinutes(1));
    CompletableFuture<Void> elsewhere = events.nextChange(other, Duration.ofMinutes(1));
    events.statusChanged(changed);
    first.get(1, TimeUnit.SECONDS);
    second.get(1, TimeUnit.SECONDS);
    assertFalse(elsewhere.isDone());
    assertEquals(1, events.waiters());
    elsewhere.cancel(false);
    assertEquals(0, events.waiters(), "a waiter that gives up leaves too");
  }
}
