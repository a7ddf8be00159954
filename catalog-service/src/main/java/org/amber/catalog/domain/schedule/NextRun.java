package org.amber.catalog.domain.schedule;

import java.time.Instant;
import java.util.Optional;
import org.amber.catalog.domain.model.Schedule;

/**
 * When a timetable runs next, given the last run it started: the newest run time not later than now
 * if that one has not been started (it is due: after downtime, however many runs were missed, only
 * the newest is made up), else the first run time after now.
 */
public final class NextRun {
  private NextRun() {}

  /**
   * @param lastRun the last run started, or when the timetable was set; null for never
   * @return empty for a timetable that never runs again (say {@code 0 0 30 2 *})
   */
  public static Optional<Instant> of(Schedule schedule, Instant lastRun, Instant now) {
    Timetable timetable = Timetable.parse(schedule.cron(), schedule.timeZone());
    Optional<Instant> due = timetable.latestAtOrBefore(now);
    if (due.isPresent() && (lastRun == null || due.get().isAfter(lastRun))) {
      return due;
    }
    Instant after = lastRun != null && lastRun.isAfter(now) ? lastRun : now;
    return timetable.nextAfter(after);
  }

  /** Whether {@code instant} is one of the timetable's run times. */
  public static boolean isRunTime(Schedule schedule, Instant instant) {
    return Timetable.parse(schedule.cron(), schedule.timeZone())
        .latestAtOrBefore(instant)
        .filter(instant::equals)
        .isPresent();
  }
}
