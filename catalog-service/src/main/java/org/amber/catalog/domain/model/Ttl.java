package org.amber.catalog.domain.model;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * How long a completed version lives: an ISO-8601 duration such as {@code P7D}, {@code PT1H} or
 * {@code P1Y2M}. Calendar parts (years, months, weeks) are added in UTC, so {@code P1M} from 31
 * January ends on the last day of February.
 */
public final class Ttl {
  /** Longer than any archive's promise; anything beyond is a typo, not a policy. */
  public static final Duration LONGEST = Duration.ofDays(100 * 366);

  private final String text;
  private final Period period;
  private final Duration duration;

  private Ttl(String text, Period period, Duration duration) {
    this.text = text;
    this.period = period;
    this.duration = duration;
  }

  /**
   * Parses and checks a TTL.
   *
   * @throws IllegalArgumentException when it is not an ISO-8601 duration, not positive, or longer
   *     than {@link #LONGEST}
   */
  public static Ttl parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a TTL must be an ISO-8601 duration such as P7D or PT12H");
    }
    String upper = text.trim().toUpperCase(java.util.Locale.ROOT);
    if (upper.contains("-")) {
      throw new IllegalArgumentException("a TTL must be positive, got '" + text + "'");
    }
    int timeAt = upper.indexOf('T');
    Period period = Period.ZERO;
    Duration duration = Duration.ZERO;
    try {
      if (timeAt < 0) {
        period = Period.parse(upper);
      } else {
        String datePart = upper.substring(0, timeAt);
        if (!datePart.equals("P")) {
          period = Period.parse(datePart);
        }
        duration = Duration.parse("P" + upper.substring(timeAt));
      }
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an ISO-8601 duration such as P7D or PT12H");
    } catch (ArithmeticException e) {
      // P999999999W: the weeks overflow as days are counted.
      throw new IllegalArgumentException("a TTL of '" + text + "' is longer than 100 years");
    }
    Ttl ttl = new Ttl(upper, period, duration);
    Instant epoch = Instant.EPOCH;
    Duration length;
    try {
      length = Duration.between(epoch, ttl.after(epoch));
    } catch (DateTimeException | ArithmeticException e) {
      // P999999999Y parses but lies beyond the calendar: too long, not a server fault.
      throw new IllegalArgumentException("a TTL of '" + text + "' is longer than 100 years");
    }
    if (period.isNegative() || duration.isNegative() || length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("a TTL must be positive, got '" + text + "'");
    }
    if (length.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException("a TTL of '" + text + "' is longer than 100 years");
    }
    return ttl;
  }

  /** The instant this TTL after {@code start}. */
  public Instant after(Instant start) {
    return start.atOffset(ZoneOffset.UTC).plus(period).plus(duration).toInstant();
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Ttl && ((Ttl) other).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
