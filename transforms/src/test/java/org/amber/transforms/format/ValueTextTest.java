package org.amber.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.ColumnType.Kind;
import org.junit.jupiter.api.Test;

class ValueTextTest {
  private static String plain(Kind kind, Object value) {
    ByteBuilder out = new ByteBuilder();
    ValueText.appendPlain(out, ColumnType.of(kind), value);
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void timesAreIsoWithTrailingFractionZerosDropped() {
    assertEquals("1970-01-01T00:00:00Z", plain(Kind.TIMESTAMPTZ, 0L));
    assertEquals("1969-12-31T23:59:59.5", plain(Kind.TIMESTAMP, -500_000L));
    assertEquals("2024-02-29T13:45:59.000001Z", plain(Kind.TIMESTAMPTZ, 1_709_214_359_000_001L));
    assertEquals("24:00:00", plain(Kind.TIME, 86_400_000_000L));
    assertEquals("infinity", plain(Kind.TIMESTAMPTZ, Long.MAX_VALUE));
    assertEquals("-infinity", plain(Kind.DATE, -Integer.MAX_VALUE));
    assertEquals("0001-01-01", plain(Kind.DATE, -719_162));
    assertEquals("+10000-01-01", plain(Kind.DATE, 2_932_897));
    assertEquals("-9223372036854775808", plain(Kind.INT64, Long.MIN_VALUE));
  }

  @Test
  void everyDayOfFourCenturiesMatchesJavaTime() {
    for (int day = -200_000; day < 200_000; day += 7) {
      assertEquals(java.time.LocalDate.ofEpochDay(day).toString(), plain(Kind.DATE, day));
    }
  }

  @Test
  void integersMatchLongToString() {
    java.util.Random random = new java.util.Random(11);
    long[] edges = {
      0, 9, 10, 99, 100, -1, -10, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE
    };
    for (long value : edges) {
      assertEquals(Long.toString(value), plain(Kind.INT64, value));
    }
    for (int i = 0; i < 100_000; i++) {
      long value = random.nextLong() >> random.nextInt(64);
      assertEquals(Long.toString(value), plain(Kind.INT64, value));
    }
  }

  @Test
  void decimalsMatchToPlainString() {
    String[] values = {
      "0",
      "0.00",
      "-0.05",
      "4.01",
      "-123.456",
      "1E+3",
      "999999999999999999",
      "-0.000000001",
      "0.0000000001",
      "12345678901234567890.5",
      "1234567890123456789"
    };
    for (String value : values) {
      BigDecimal decimal = new BigDecimal(value);
      assertEquals(decimal.toPlainString(), plain(Kind.DECIMAL, decimal), value);
    }
    java.util.Random random = new java.util.Random(12);
    for (int i = 0; i < 100_000; i++) {
      BigDecimal decimal =
          BigDecimal.valueOf(random.nextLong() >> random.nextInt(64), random.nextInt(12));
      assertEquals(decimal.toPlainString(), plain(Kind.DECIMAL, decimal));
    }
    assertEquals("NaN", plain(Kind.DECIMAL, Double.NaN));
  }

  @Test
  void uuidsAreLowerCaseCanonical() {
    byte[] bytes = new byte[16];
    Arrays.fill(bytes, (byte) 0xAB);
    assertEquals("abababab-abab-abab-abab-abababababab", ValueText.uuid(bytes));
  }

  @Test
  void jsonEscapesControlCharactersAndKeepsUnicode() {
    ByteBuilder out = new ByteBuilder();
    JsonText.appendString(out, "a\"b\\c\nd\u0001é🚀".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "\"a\\\"b\\\\c\\nd\\u0001é🚀\"", new String(out.toByteArray(), StandardCharsets.UTF_8));
  }

  @Test
  void int64BeyondDoublePrecisionIsAString() {
    ByteBuilder out = new ByteBuilder();
    JsonText.append(out, ColumnType.of(Kind.INT64), (1L << 53) + 1);
    out.append((byte) ' ');
    JsonText.append(out, ColumnType.of(Kind.INT64), 1L << 53);
    assertEquals(
        "\"9007199254740993\" 9007199254740992",
        new String(out.toByteArray(), StandardCharsets.US_ASCII));
  }
}
