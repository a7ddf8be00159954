package org.amber.transforms.format;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Base64;
import org.amber.transforms.schema.ColumnType;

/**
 * Text renderings shared by CSV and NDJSON: ISO-8601 dates and times, base64 for bytes, plain
 * decimals, the canonical UUID form. Values are Amber's canonical values (see {@link ColumnType}).
 */
final class ValueText {
  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final long MAX_SAFE_JSON_INTEGER = 1L << 53;
  private static final long[] POWERS_OF_TEN = new long[10];
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  private ValueText() {}

  static boolean isSafeJsonInteger(long value) {
    return value >= -MAX_SAFE_JSON_INTEGER && value <= MAX_SAFE_JSON_INTEGER;
  }

  /** {@code NaN}, {@code Infinity}, {@code -Infinity} or the plain decimal. */
  static String decimal(Object value) {
    return value instanceof BigDecimal
        ? ((BigDecimal) value).toPlainString()
        : special((Double) value);
  }

  /**
   * What {@link #decimal} writes, without a String in between for the usual numeric of at most 18
   * digits and 9 decimals.
   */
  static void appendDecimal(ByteBuilder out, Object value) {
    if (value instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) value;
      int scale = d.scale();
      if (scale >= 0 && scale < POWERS_OF_TEN.length && d.precision() <= 18) {
        long unscaled = d.unscaledValue().longValue();
        if (unscaled < 0) {
          out.append((byte) '-');
          unscaled = -unscaled;
        }
        long power = POWERS_OF_TEN[scale];
        out.appendLong(unscaled / power);
        if (scale > 0) {
          out.append((byte) '.').appendPadded((int) (unscaled % power), scale);
        }
        return;
      }
    }
    out.appendAscii(decimal(value));
  }

  /**
   * The shortest decimal that reads back as the same float (Schubfach, as Jackson writes it): the
   * same text on every JDK, where {@code Double.toString} changed in Java 19.
   */
  static String floating(Object value) {
    double d = ((Number) value).doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return special(d);
    }
    return value instanceof Float
        ? NumberOutput.toString((Float) value, true)
        : NumberOutput.toString(d, true);
  }

  private static String special(double d) {
    return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
  }

  static void appendDate(ByteBuilder out, int days) {
    if (days == Integer.MAX_VALUE) {
      out.appendAscii("infinity");
    } else if (days == -Integer.MAX_VALUE) {
      out.appendAscii("-infinity");
    } else {
      appendCivilDate(out, days);
    }
  }

  /** {@code HH:MM:SS} with up to six fraction digits, trailing zeros dropped. */
  static void appendTime(ByteBuilder out, long micros) {
    // At most a day (24:00:00 is a valid time): seconds fit an int.
    int seconds = (int) (micros / 1_000_000);
    int fraction = (int) (micros % 1_000_000);
    out.appendPadded(seconds / 3600, 2).append((byte) ':');
    out.appendPadded(seconds / 60 % 60, 2).append((byte) ':');
    out.appendPadded(seconds % 60, 2);
    if (fraction != 0) {
      int digits = 6;
      while (fraction % 10 == 0) {
        fraction /= 10;
        digits--;
      }
      out.append((byte) '.').appendPadded(fraction, digits);
    }
  }

  /** {@code 2024-01-02T03:04:05.123456}, with {@code Z} appended for timestamptz. */
  static void appendTimestamp(ByteBuilder out, long micros, boolean utc) {
    if (micros == Long.MAX_VALUE) {
      out.appendAscii("infinity");
    } else if (micros == -Long.MAX_VALUE) {
      out.appendAscii("-infinity");
    } else {
      appendCivilDate(out, Math.floorDiv(micros, MICROS_PER_DAY));
      out.append((byte) 'T');
      appendTime(out, Math.floorMod(micros, MICROS_PER_DAY));
      if (utc) {
        out.append((byte) 'Z');
      }
    }
  }

  /** ISO-8601 date of a day count; years outside 0000-9999 as {@link LocalDate} writes them. */
  private static void appendCivilDate(ByteBuilder out, long epochDay) {
    // Days to civil date (H. Hinnant's algorithm), in the proleptic Gregorian calendar.
    long z = epochDay + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long mp = (5 * dayOfYear + 2) / 153;
    long day = dayOfYear - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999) {
      out.appendAscii(LocalDate.ofEpochDay(epochDay).toString());
      return;
    }
    out.appendPadded((int) year, 4)
        .append((byte) '-')
        .appendPadded((int) month, 2)
        .append((byte) '-')
        .appendPadded((int) day, 2);
  }

  static String uuid(byte[] b) {
    char[] out = new char[36];
    int o = 0;
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        out[o++] = '-';
      }
      out[o++] = HEX[(b[i] >> 4) & 0xf];
      out[o++] = HEX[b[i] & 0xf];
    }
    return new String(out);
  }

  static byte[] base64(byte[] bytes) {
    return Base64.getEncoder().encode(bytes);
  }

  /**
   * The text of a scalar that is never quoted or escaped: numbers, booleans, dates and times,
   * UUIDs, base64. Not for strings, JSON or lists.
   */
  static void appendPlain(ByteBuilder out, ColumnType type, Object value) {
    switch (type.kind()) {
      case BOOL:
        out.appendAscii((Boolean) value ? "true" : "false");
        break;
      case INT16:
      case INT32:
        out.appendLong((Integer) value);
        break;
      case INT64:
        out.appendLong((Long) value);
        break;
      case FLOAT32:
      case FLOAT64:
        out.appendAscii(floating(value));
        break;
      case DECIMAL:
        appendDecimal(out, value);
        break;
      case BINARY:
        out.append(base64((byte[]) value));
        break;
      case UUID:
        out.appendAscii(uuid((byte[]) value));
        break;
      case DATE:
        appendDate(out, (Integer) value);
        break;
      case TIME:
        appendTime(out, (Long) value);
        break;
      case TIMESTAMP:
        appendTimestamp(out, (Long) value, false);
        break;
      case TIMESTAMPTZ:
        appendTimestamp(out, (Long) value, true);
        break;
      default:
        throw new IllegalArgumentException("not a plain scalar: " + type);
    }
  }
}
