package org.amber.catalog.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock a test sets, for timetables that would otherwise take days to observe. Whoever keeps time
 * by it (a service's timetables) subscribes to be told when it jumps: a timer armed for a real
 * delay would not notice.
 */
public final class MutableClock extends Clock {
  private volatile Instant now;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public MutableClock(Instant start) {
    this.now = start;
  }

  public void set(Instant instant) {
    now = instant;
    listeners.forEach(Runnable::run);
  }

  /** Calls {@code listener} after every {@link #set}. */
  public void onSet(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("tests use UTC");
  }

  @Override
  public Instant instant() {
    return now;
  }
}
