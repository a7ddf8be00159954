package org.amber.transforms.format;

import org.amber.transforms.schema.ColumnType;

/**
 * The text of one canonical value as a CSV shard holds it (before CSV quoting): strings and json as
 * they are, lists as JSON, everything else as {@link ValueText} writes it. Used where values of two
 * different column types are compared by what they print. Not thread-safe: it reuses one buffer.
 */
public final class CellText {
  private final ByteBuilder buffer = new ByteBuilder();

  /** The value's UTF-8 text, or null for NULL. */
  public byte[] of(ColumnType type, Object value) {
    if (value == null) {
      return null;
    }
    switch (type.kind()) {
      case STRING:
      case JSON:
        return (byte[]) value;
      case LIST:
        buffer.reset();
        JsonText.append(buffer, type, value);
        return buffer.toByteArray();
      default:
        buffer.reset();
        ValueText.appendPlain(buffer, type, value);
        return buffer.toByteArray();
    }
  }
}
