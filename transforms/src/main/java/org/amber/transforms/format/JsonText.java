package org.amber.transforms.format;

import java.util.List;
import org.amber.transforms.schema.ColumnType;

/**
 * JSON renderings of canonical values, as NDJSON writes them and CSV writes arrays: numbers a
 * double cannot hold exactly (int8 beyond 2^53, every numeric) and non-finite floats as strings,
 * bytes as base64 strings, dates and times as ISO-8601 strings, json values embedded as they are.
 */
final class JsonText {
  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private JsonText() {}

  static void append(ByteBuilder out, ColumnType type, Object value) {
    if (value == null) {
      out.appendAscii("null");
      return;
    }
    switch (type.kind()) {
      case BOOL:
      case INT16:
      case INT32:
        ValueText.appendPlain(out, type, value);
        break;
      case INT64:
        if (ValueText.isSafeJsonInteger((Long) value)) {
          ValueText.appendPlain(out, type, value);
        } else {
          quotedPlain(out, type, value);
        }
        break;
      case FLOAT32:
      case FLOAT64:
        double d = ((Number) value).doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          quotedPlain(out, type, value);
        } else {
          ValueText.appendPlain(out, type, value);
        }
        break;
      case STRING:
        appendString(out, (byte[]) value);
        break;
      case JSON:
        appendJson(out, (byte[]) value);
        break;
      case LIST:
        out.append((byte) '[');
        List<?> values = (List<?>) value;
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            out.append((byte) ',');
          }
          append(out, type.element(), values.get(i));
        }
        out.append((byte) ']');
        break;
      default:
        quotedPlain(out, type, value);
    }
  }

  private static void quotedPlain(ByteBuilder out, ColumnType type, Object value) {
    out.append((byte) '"');
    ValueText.appendPlain(out, type, value);
    out.append((byte) '"');
  }

  /** A JSON string of UTF-8 bytes: quotes, backslashes and control characters escaped. */
  static void appendString(ByteBuilder out, byte[] utf8) {
    out.append((byte) '"');
    int start = 0;
    for (int i = 0; i < utf8.length; i++) {
      int b = utf8[i] & 0xff;
      if (b >= 0x20 && b != '"' && b != '\\') {
        continue;
      }
      out.append(utf8, start, i - start);
      start = i + 1;
      switch (b) {
        case '"':
          out.appendAscii("\\\"");
          break;
        case '\\':
          out.appendAscii("\\\\");
          break;
        case '\n':
          out.appendAscii("\\n");
          break;
        case '\r':
          out.appendAscii("\\r");
          break;
        case '\t':
          out.appendAscii("\\t");
          break;
        default:
          out.appendAscii("\\u00").append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
    out.append(utf8, start, utf8.length - start);
    out.append((byte) '"');
  }

  /**
   * A json/jsonb value as the source wrote it. Raw line breaks can only be whitespace between
   * tokens in valid JSON (inside strings they are escaped), so they become spaces: one line per
   * record.
   */
  static void appendJson(ByteBuilder out, byte[] json) {
    int start = 0;
    for (int i = 0; i < json.length; i++) {
      if (json[i] == '\n' || json[i] == '\r') {
        out.append(json, start, i - start).append((byte) ' ');
        start = i + 1;
      }
    }
    out.append(json, start, json.length - start);
  }
}
