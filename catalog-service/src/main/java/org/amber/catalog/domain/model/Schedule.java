package org.amber.catalog.domain.model;

/**
 * A dataset rebuilt on a timetable.
 *
 * @param cron a five-field Unix cron expression, evaluated in UTC
 * @param keepLast how many completed versions to keep; older unpinned ones expire
 */
public record Schedule(String cron, int keepLast) {}
