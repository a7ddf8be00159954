package org.amber.catalog.domain.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.amber.catalog.domain.model.Schedule;
import org.junit.jupiter.api.Test;

/** Cron read in a time zone, across daylight-saving changes; and which run is due when. */
class TimetableTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void aLocalTimeRunsAtThatLocalTimeInWinterAndSummer() {
    Timetable daily = Timetable.parse("0 3 * * *", BERLIN);
    assertEquals(
        Optional.of(Instant.parse("2026-01-15T02:00:00Z")),
        daily.nextAfter(Instant.parse("2026-01-14T12:00:00Z")),
        "03:00 CET is 02:00 UTC");
    assertEquals(
        Optional.of(Instant.parse("2026-07-15T01:00:00Z")),
        daily.nextAfter(Instant.parse("2026-07-14T12:00:00Z")),
        "03:00 CEST is 01:00 UTC");
  }

  @Test
  void aSkippedLocalTimeRunsOnceAnHourLaterOnTheSpringForwardNight() {
    // 2026-03-29: at 02:00 CET Berlin's clocks jump to 03:00 CEST; 02:30 does not exist.
    Timetable at0230 = Timetable.parse("30 2 * * *", BERLIN);
    Instant saturday = Instant.parse("2026-03-28T01:30:00Z"); // 02:30 CET
    assertEquals(Optional.of(saturday), at0230.nextAfter(saturday.minusSeconds(60)));
    Instant sunday = at0230.nextAfter(saturday).orElseThrow();
    assertEquals(Instant.parse("2026-03-29T01:30:00Z"), sunday, "03:30 CEST, once");
    assertEquals(
        Instant.parse("2026-03-30T00:30:00Z"),
        at0230.nextAfter(sunday).orElseThrow(),
        "02:30 CEST");
    assertEquals(Optional.of(sunday), at0230.latestAtOrBefore(sunday.plusSeconds(3600)));
  }

  @Test
  void aRepeatedLocalTimeRunsOnceOnTheFallBackNight() {
    // 2026-10-25: at 03:00 CEST Berlin's clocks go back to 02:00 CET; 02:30 happens twice.
    Timetable at0230 = Timetable.parse("30 2 * * *", BERLIN);
    Instant first = at0230.nextAfter(Instant.parse("2026-10-24T12:00:00Z")).orElseThrow();
    assertEquals(Instant.parse("2026-10-25T00:30:00Z"), first, "the first 02:30 (CEST)");
    assertEquals(
        Instant.parse("2026-10-26T01:30:00Z"),
        at0230.nextAfter(first).orElseThrow(),
        "not again at the second 02:30 (CET) but the next day");
  }

  @Test
  void runTimesAreExactAndTheBoundsStrictOrInclusiveAsNamed() {
    Timetable minutely = Timetable.parse("* * * * *", ZoneId.of("UTC"));
    Instant slot = Instant.parse("2026-05-01T10:07:00Z");
    assertEquals(Optional.of(slot), minutely.latestAtOrBefore(slot));
    assertEquals(Optional.of(slot), minutely.latestAtOrBefore(slot.plusMillis(59_999)));
    assertEquals(Optional.of(slot.plusSeconds(60)), minutely.nextAfter(slot));
    assertEquals(Optional.of(slot), minutely.nextAfter(slot.minusNanos(1)));
  }

  @Test
  void afterDowntimeOnlyTheNewestMissedRunIsDue() {
    Schedule weekly = new Schedule("0 6 * * 1", ZoneId.of("UTC"), 3, null);
    Instant lastRun = Instant.parse("2026-05-04T06:00:00Z"); // a Monday
    Instant threeWeeksLater = Instant.parse("2026-05-26T09:00:00Z");
    assertEquals(
        Optional.of(Instant.parse("2026-05-25T06:00:00Z")),
        NextRun.of(weekly, lastRun, threeWeeksLater),
        "the newest of three missed Mondays, due now");
    assertEquals(
        Optional.of(Instant.parse("2026-06-01T06:00:00Z")),
        NextRun.of(weekly, Instant.parse("2026-05-25T06:00:00Z"), threeWeeksLater),
        "once it ran, the next Monday");
  }

  @Test
  void anInvalidExpressionIsRefusedWithTheParsersReason() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Timetable.parse("61 * * * *", BERLIN));
    assertEquals(true, e.getMessage().startsWith("invalid cron expression '61 * * * *'"));
  }
}
