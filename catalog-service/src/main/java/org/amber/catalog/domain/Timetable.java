package org.amber.catalog.domain;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** A five-field Unix cron expression, evaluated in UTC. */
public final class Timetable {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final ExecutionTime executionTime;

  private Timetable(ExecutionTime executionTime) {
    this.executionTime = executionTime;
  }

  /**
   * @throws IllegalArgumentException with the parser's reason when the expression is invalid
   */
  public static Timetable parse(String cron) {
    if (cron == null || cron.isBlank()) {
      throw new IllegalArgumentException("a schedule needs a cron expression such as '0 3 * * *'");
    }
    try {
      return new Timetable(ExecutionTime.forCron(PARSER.parse(cron.trim()).validate()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid cron expression '"
              + cron
              + "' (five fields: minute hour day month weekday): "
              + e.getMessage());
    }
  }

  /** The latest run time at or before {@code now}. */
  public Optional<Instant> lastRunAtOrBefore(Instant now) {
    return executionTime
        .lastExecution(now.atZone(ZoneOffset.UTC).plusSeconds(1))
        .map(t -> t.toInstant());
  }
}
