package org.amber.catalog.domain.model;

import java.time.ZoneId;

/**
 * A dataset rebuilt on a timetable.
 *
 * @param cron a five-field Unix cron expression, read as local time in {@code timeZone}
 * @param timeZone where the cron expression's wall-clock times are; UTC when not given
 * @param keepLast how many completed versions to keep; older unpinned ones expire
 * @param ttl how long a version this timetable starts lives; null for the dataset's default
 */
public record Schedule(String cron, ZoneId timeZone, int keepLast, Ttl ttl) {
  /** The most completed versions a timetable keeps, and what it keeps when not told. */
  public static final int MAX_KEEP_LAST = 10_000;

  /** An IANA name, as {@code time_zone} shows it (not the offset {@code Z}). */
  public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("UTC");

  public Schedule {
    timeZone = timeZone == null ? DEFAULT_TIME_ZONE : timeZone;
  }
}
