package org.amber.transforms.format;

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
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private ValueText() {}

  static boolean isSafeJsonInteger(long value) {
    return value >= -MAX_SAFE_JSON_INTEGER && value <= MAX_SAFE_JSON_INTEGER;
  }

  /** {@code NaN}, {@code Infinity}, {@code -Infinity} or the plain decimal. */
  static String decimal(Object value) {
    return value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : special((Double) value);
  }

  static String floating(Object value) {
    double d = ((Number) value).doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return special(d);
    }
    return value instanceof Float ? Float.toString((Float) value) : Double.toString(d);
  }

  private static String special(double d) {
    return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
  }

  static String date(int days) {
    if (days == Integer.MAX_VALUE) {
      return "infinity";
    }
    if (days == -Integer.MAX_VALUE) {
      return "-infinity";
    }
    return LocalDate.ofEpochDay(days).toString();
  }

  /** {@code HH:MM:SS} with up to six fraction digits, trailing zeros dropped. */
  static String time(long micros) {
    StringBuilder out = new StringBuilder(15);
    appendTime(out, micros);
    return out.toString();
  }

  /** {@code 2024-01-02T03:04:05.123456}, with {@code Z} appended for timestamptz. */
  static String timestamp(long micros, boolean utc) {
    if (micros == Long.MAX_VALUE) {
      return "infinity";
    }
    if (micros == -Long.MAX_VALUE) {
      return "-infinity";
    }
    long days = Math.floorDiv(micros, MICROS_PER_DAY);
    StringBuilder out = new StringBuilder(32).append(LocalDate.ofEpochDay(days)).append('T');
    appendTime(out, Math.floorMod(micros, MICROS_PER_DAY));
    if (utc) {
      out.append('Z');
    }
    return out.toString();
  }

  private static void appendTime(StringBuilder out, long micros) {
    long seconds = micros / 1_000_000;
    int fraction = (int) (micros % 1_000_000);
    two(out, seconds / 3600).append(':');
    two(out, seconds / 60 % 60).append(':');
    two(out, seconds % 60);
    if (fraction != 0) {
      String digits = Integer.toString(1_000_000 + fraction).substring(1);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      out.append('.').append(digits, 0, end);
    }
  }

  private static StringBuilder two(StringBuilder out, long value) {
    return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
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
      case INT64:
        out.appendAscii(value.toString());
        break;
      case FLOAT32:
      case FLOAT64:
        out.appendAscii(floating(value));
        break;
      case DECIMAL:
        out.appendAscii(decimal(value));
        break;
      case BINARY:
        out.append(base64((byte[]) value));
        break;
      case UUID:
        out.appendAscii(uuid((byte[]) value));
        break;
      case DATE:
        out.appendAscii(date((Integer) value));
        break;
      case TIME:
        out.appendAscii(time((Long) value));
        break;
      case TIMESTAMP:
        out.appendAscii(timestamp((Long) value, false));
        break;
      case TIMESTAMPTZ:
        out.appendAscii(timestamp((Long) value, true));
        break;
      default:
        throw new IllegalArgumentException("not a plain scalar: " + type);
    }
  }
}
