package org.amber.catalog.domain.model;

/**
 * A dataset rebuilt on a timetable.
 *
 * @param cron a five-field Unix cron expression, evaluated in UTC
 * @param keepLast how many completed versions to keep; older unpinned ones expire
 */
public record Schedule(String cron, int keepLast) {
  /** The most completed versions a timetable keeps, and what it keeps when not told. */
  public static final int MAX_KEEP_LAST = 10_000;
}
