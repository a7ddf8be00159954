package org.amber.catalog.domain.schedule;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells the timetable scheduler that a dataset's schedule may have changed (defined, redefined,
 * deleted), so that it re-arms for the new next run at once instead of at its next safety tick.
 */
public final class ScheduleChanges {
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Calls {@code listener} on every change, on the changing thread: it must not block. */
  public void subscribe(Runnable listener) {
    listeners.add(listener);
  }

  public void changed() {
    listeners.forEach(Runnable::run);
  }
}
