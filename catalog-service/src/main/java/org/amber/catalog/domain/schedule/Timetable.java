package org.amber.catalog.domain.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;

/**
 * A five-field Unix cron expression read in a time zone: the wall-clock times it names are local
 * times there, so {@code 0 3 * * *} in Europe/Berlin runs at 03:00 in Berlin in winter and summer.
 *
 * <p>Daylight saving: a local time that does not exist (the hour skipped in spring) runs once,
 * shifted by the length of the gap, as {@link ZonedDateTime#of} reads it: {@code 02:30} on the
 * night Berlin's clocks go from 02:00 to 03:00 runs at {@code 03:30} local. cron-utils alone would
 * skip that day, and a weekly dump would then skip a week. A local time that occurs twice (the hour
 * repeated in autumn) runs once, at its first occurrence, as cron-utils has it.
 */
public final class Timetable {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final ExecutionTime executionTime;
  private final ZoneId zone;

  private Timetable(ExecutionTime executionTime, ZoneId zone) {
    this.executionTime = executionTime;
    this.zone = zone;
  }

  /**
   * @throws IllegalArgumentException with the parser's reason when the expression is invalid
   */
  public static Timetable parse(String cron, ZoneId zone) {
    if (cron == null || cron.isBlank()) {
      throw new IllegalArgumentException("a schedule needs a cron expression such as '0 3 * * *'");
    }
    try {
      return new Timetable(ExecutionTime.forCron(PARSER.parse(cron.trim()).validate()), zone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid cron expression '"
              + cron
              + "' (five fields: minute hour day month weekday): "
              + e.getMessage());
    }
  }

  /** The latest run time at or before {@code now}. */
  public Optional<Instant> latestAtOrBefore(Instant now) {
    ZonedDateTime at = now.atZone(zone);
    Optional<Instant> latest =
        executionTime.isMatch(at) && at.getNano() == 0 && at.getSecond() == 0
            ? Optional.of(now)
            : executionTime.lastExecution(at).map(ZonedDateTime::toInstant);
    if (latest.isEmpty()) {
      return latest;
    }
    // Only a shifted run out of a daylight-saving gap can lie between; there are few.
    Instant last = latest.get();
    for (Optional<Instant> next = nextAfter(last);
        next.isPresent() && !next.get().isAfter(now);
        next = nextAfter(last)) {
      last = next.get();
    }
    return Optional.of(last);
  }

  /** The first run time strictly after {@code after}. */
  public Optional<Instant> nextAfter(Instant after) {
    Optional<Instant> regular =
        executionTime.nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant);
    if (regular.isEmpty()) {
      return regular;
    }
    ZoneRules rules = zone.getRules();
    // A gap's shifted runs fall within the gap's length after it: start a day back.
    for (ZoneOffsetTransition t = rules.nextTransition(after.minus(Duration.ofDays(1)));
        t != null && t.getInstant().isBefore(regular.get());
        t = rules.nextTransition(t.getInstant())) {
      if (t.isGap()) {
        Optional<Instant> skipped = firstSkippedRunAfter(t, after);
        if (skipped.isPresent() && skipped.get().isBefore(regular.get())) {
          return skipped;
        }
      }
    }
    return regular;
  }

  /**
   * The first local time in gap {@code t} that the expression names, as the instant {@link
   * ZonedDateTime#of} makes of it (the local time read with the offset before the gap), if after
   * {@code after}. Matched on the fixed offset before the gap, where those local times exist.
   */
  private Optional<Instant> firstSkippedRunAfter(ZoneOffsetTransition t, Instant after) {
    ZoneOffset before = t.getOffsetBefore();
    ZonedDateTime from = t.getDateTimeBefore().minusSeconds(1).atZone(before);
    for (Optional<ZonedDateTime> local = executionTime.nextExecution(from);
        local.isPresent() && local.get().toLocalDateTime().isBefore(t.getDateTimeAfter());
        local = executionTime.nextExecution(local.get())) {
      Instant run = local.get().toInstant();
      if (run.isAfter(after)) {
        return Optional.of(run);
      }
    }
    return Optional.empty();
  }
}
