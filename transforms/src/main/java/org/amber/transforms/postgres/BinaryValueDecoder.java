package org.amber.transforms.postgres;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;

/**
 * Decodes one value of PostgreSQL's binary wire format into Amber's canonical Java value (see
 * {@link ColumnType}). The formats are those of the types' {@code *_send} functions.
 */
@FunctionalInterface
interface BinaryValueDecoder {
  /** PostgreSQL counts days and microseconds from 2000-01-01; Amber from 1970-01-01. */
  int EPOCH_SHIFT_DAYS = 10_957;

  long EPOCH_SHIFT_MICROS = EPOCH_SHIFT_DAYS * 86_400_000_000L;

  long[] POWERS_OF_TEN = {1, 10, 100, 1000};

  Object decode(BinaryInput in, int length) throws IOException;

  static BinaryValueDecoder forColumn(Column column) {
    String source = column.sourceType();
    ColumnType type = column.type();
    if (type.kind() == ColumnType.Kind.LIST) {
      BinaryValueDecoder element = forType(type.element(), source.substring(1));
      return (in, length) -> decodeArray(in, element);
    }
    return forType(type, source);
  }

  private static BinaryValueDecoder forType(ColumnType type, String sourceType) {
    switch (type.kind()) {
      case BOOL:
        return (in, length) -> in.readByte() != 0;
      case INT16:
        return (in, length) -> (int) in.readShort();
      case INT32:
        return (in, length) -> in.readInt();
      case INT64:
        return "oid".equals(sourceType)
            ? (in, length) -> in.readInt() & 0xffffffffL
            : (in, length) -> in.readLong();
      case FLOAT32:
        return (in, length) -> Float.intBitsToFloat(in.readInt());
      case FLOAT64:
        return (in, length) -> Double.longBitsToDouble(in.readLong());
      case DECIMAL:
        return BinaryValueDecoder::decodeNumeric;
      case JSON:
        if ("jsonb".equals(sourceType)) {
          return (in, length) -> {
            in.readByte(); // jsonb's binary format version, always 1
            return in.readBytes(length - 1);
          };
        }
        return (in, length) -> in.readBytes(length);
      case STRING:
      case BINARY:
      case UUID:
        return (in, length) -> in.readBytes(length);
      case DATE:
        return (in, length) -> {
          int days = in.readInt();
          if (days == Integer.MAX_VALUE || days == Integer.MIN_VALUE) {
            return days == Integer.MAX_VALUE ? Integer.MAX_VALUE : -Integer.MAX_VALUE; // ±infinity
          }
          return days + EPOCH_SHIFT_DAYS;
        };
      case TIME:
        return (in, length) -> in.readLong();
      case TIMESTAMP:
      case TIMESTAMPTZ:
        return (in, length) -> {
          long micros = in.readLong();
          if (micros == Long.MAX_VALUE || micros == Long.MIN_VALUE) {
            return micros == Long.MAX_VALUE ? Long.MAX_VALUE : -Long.MAX_VALUE; // ±infinity
          }
          return micros + EPOCH_SHIFT_MICROS;
        };
      default:
        throw new IllegalArgumentException(
            "no binary decoder for " + type + " (" + sourceType + ")");
    }
  }

  private static List<Object> decodeArray(BinaryInput in, BinaryValueDecoder element)
      throws IOException {
    int dimensions = in.readInt();
    in.readInt(); // has-nulls flag
    in.readInt(); // element type oid
    if (dimensions == 0) {
      return List.of();
    }
    if (dimensions > 1) {
      throw new UnsupportedOperationException(
          "multi-dimensional arrays are not supported; select them as JSON (to_jsonb(col)) instead");
    }
    int size = in.readInt();
    in.readInt(); // lower bound
    List<Object> values = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int length = in.readInt();
      values.add(length < 0 ? null : element.decode(in, length));
    }
    return values;
  }

  /** numeric_send: ndigits, weight, sign, dscale, then ndigits base-10000 digits. */
  private static Object decodeNumeric(BinaryInput in, int length) throws IOException {
    int digits = in.readShort();
    int weight = in.readShort();
    int sign = in.readShort() & 0xffff;
    int scale = in.readShort() & 0xffff;
    switch (sign) {
      case 0xC000:
        for (int i = 0; i < digits; i++) {
          in.readShort();
        }
        return Double.NaN;
      case 0xD000:
        return Double.POSITIVE_INFINITY;
      case 0xF000:
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    // The digits D (base 10000) stand for D * 10000^(weight - digits + 1); the value has exactly
    // `scale` decimals, so its unscaled value is D * 10^(4 * (weight - digits + 1) + scale).
    // A negative shift drops zeros the last base-10000 group carries beyond the scale: exact.
    int shift = 4 * (weight - digits + 1) + scale;
    if (digits <= 4 && shift >= -3 && shift <= 2) {
      long unscaled = 0;
      for (int i = 0; i < digits; i++) {
        unscaled = unscaled * 10_000 + in.readShort();
      }
      unscaled = shift >= 0 ? unscaled * POWERS_OF_TEN[shift] : unscaled / POWERS_OF_TEN[-shift];
      return BigDecimal.valueOf(sign == 0x4000 ? -unscaled : unscaled, scale);
    }
    BigInteger unscaled = BigInteger.ZERO;
    BigInteger base = BigInteger.valueOf(10_000);
    for (int i = 0; i < digits; i++) {
      unscaled = unscaled.multiply(base).add(BigInteger.valueOf(in.readShort()));
    }
    BigDecimal value = new BigDecimal(unscaled).scaleByPowerOfTen(4 * (weight - digits + 1));
    if (sign == 0x4000) {
      value = value.negate();
    }
    return value.setScale(scale, RoundingMode.UNNECESSARY);
  }
}
