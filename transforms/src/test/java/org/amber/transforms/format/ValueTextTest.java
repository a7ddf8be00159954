package org.amber.transforms.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.ColumnType.Kind;
import org.junit.jupiter.api.Test;

class ValueTextTest {
  @Test
  void timesAreIsoWithTrailingFractionZerosDropped() {
    assertEquals("1970-01-01T00:00:00Z", ValueText.timestamp(0, true));
    assertEquals("1969-12-31T23:59:59.5", ValueText.timestamp(-500_000, false));
    assertEquals("2024-02-29T13:45:59.000001Z", ValueText.timestamp(1_709_214_359_000_001L, true));
    assertEquals("24:00:00", ValueText.time(86_400_000_000L));
    assertEquals("infinity", ValueText.timestamp(Long.MAX_VALUE, true));
    assertEquals("-infinity", ValueText.date(-Integer.MAX_VALUE));
    assertEquals("0001-01-01", ValueText.date(-719_162));
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
    assertEquals("\"a\\\"b\\\\c\\nd\\u0001é🚀\"", new String(out.toByteArray(), StandardCharsets.UTF_8));
  }

  @Test
  void int64BeyondDoublePrecisionIsAString() {
    ByteBuilder out = new ByteBuilder();
    JsonText.append(out, ColumnType.of(Kind.INT64), (1L << 53) + 1);
    out.append((byte) ' ');
    JsonText.append(out, ColumnType.of(Kind.INT64), 1L << 53);
    assertEquals("\"9007199254740993\" 9007199254740992", new String(out.toByteArray(), StandardCharsets.US_ASCII));
  }
}
