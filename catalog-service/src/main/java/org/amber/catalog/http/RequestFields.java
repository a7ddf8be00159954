package org.amber.catalog.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.amber.catalog.domain.model.Schedule;
import org.amber.catalog.domain.model.Ttl;
import org.amber.catalog.domain.schedule.Timetable;

/**
 * Parses the text of request fields into the values the services take, refusing what does not parse
 * with the field's JSON name: the services never see a field name or unparsed text.
 */
final class RequestFields {
  private RequestFields() {}

  /** An ISO-8601 duration; null stays null ("not given"). */
  static Ttl ttl(String field, String text) {
    if (text == null) {
      return null;
    }
    try {
      return Ttl.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidField(field, e.getMessage());
    }
  }

  /** An RFC 3339 time; null stays null. */
  static Instant time(String field, String text) {
    try {
      return text == null ? null : OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidField(
          field, "'" + field + "' must be an RFC 3339 time such as 2030-01-01T00:00:00Z");
    }
  }

  /**
   * A timetable; {@code keep_last} not given keeps the most a timetable may, {@code time_zone} not
   * given is UTC.
   */
  static Schedule schedule(DatasetRequest.ScheduleRequest schedule) {
    if (schedule == null) {
      return null;
    }
    ZoneId zone = timeZone(schedule.timeZone());
    try {
      Timetable.parse(schedule.cron(), zone);
    } catch (IllegalArgumentException e) {
      throw new InvalidField("schedule.cron", e.getMessage());
    }
    int keepLast = schedule.keepLast() == null ? Schedule.MAX_KEEP_LAST : schedule.keepLast();
    if (keepLast < 1 || keepLast > Schedule.MAX_KEEP_LAST) {
      throw new InvalidField(
          "schedule.keep_last", "'keep_last' must be between 1 and " + Schedule.MAX_KEEP_LAST);
    }
    return new Schedule(
        schedule.cron().trim(), zone, keepLast, ttl("schedule.ttl", schedule.ttl()));
  }

  /**
   * An IANA time zone name such as {@code Europe/Berlin}; offsets ({@code +02:00}) are refused,
   * since a fixed offset would not follow the place's daylight saving.
   */
  private static ZoneId timeZone(String text) {
    if (text == null) {
      return Schedule.DEFAULT_TIME_ZONE;
    }
    if (!ZoneId.getAvailableZoneIds().contains(text)) {
      throw new InvalidField(
          "schedule.time_zone",
          "'time_zone' must be an IANA time zone name such as 'Europe/Berlin' or 'UTC'");
    }
    return ZoneId.of(text);
  }
}
