package org.amber.transforms.diff;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import org.amber.transforms.schema.ColumnType;

/**
 * Orders key values as the source sorted them when it wrote the shards: numbers by value (across
 * integer, numeric and float types, so a key retyped from int4 to numeric still matches; NaN above
 * +Infinity as in PostgreSQL), dates, times and timestamps by instant (±infinity at the ends), text
 * and bytes by unsigned byte order (PostgreSQL's {@code COLLATE "C"}; under another collation the
 * merge finds the keys out of order and says so rather than miscounting).
 */
final class KeyOrder {
  private KeyOrder() {}

  /** Kinds whose values compare with each other. */
  enum Family {
    NUMBER,
    DATE,
    TIME,
    TIMESTAMP,
    TIMESTAMPTZ,
    BYTES,
    BOOL
  }

  /** The family of a key type, or null for a type that cannot be a key (lists). */
  static Family family(ColumnType type) {
    switch (type.kind()) {
      case INT16:
      case INT32:
      case INT64:
      case FLOAT32:
      case FLOAT64:
      case DECIMAL:
        return Family.NUMBER;
      case DATE:
        return Family.DATE;
      case TIME:
        return Family.TIME;
      case TIMESTAMP:
        return Family.TIMESTAMP;
      case TIMESTAMPTZ:
        return Family.TIMESTAMPTZ;
      case STRING:
      case JSON:
      case BINARY:
      case UUID:
        return Family.BYTES;
      case BOOL:
        return Family.BOOL;
      default:
        return null;
    }
  }

  /** A comparator of non-null keys of one family, whichever side's type each value has. */
  static Comparator<Object> of(Family family) {
    switch (family) {
      case NUMBER:
        return KeyOrder::compareNumbers;
      case BYTES:
        return (a, b) -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);
      case BOOL:
        return (a, b) -> Boolean.compare((Boolean) a, (Boolean) b);
      default:
        // dates are Integer days, times and timestamps Long micros: both fit a long
        return (a, b) -> Long.compare(((Number) a).longValue(), ((Number) b).longValue());
    }
  }

  private static int compareNumbers(Object a, Object b) {
    if (isIntegral(a) && isIntegral(b)) {
      return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
    }
    int ra = rank(a);
    int rb = rank(b);
    if (ra != 0 || rb != 0) {
      return Integer.compare(ra, rb);
    }
    return decimal(a).compareTo(decimal(b));
  }

  private static boolean isIntegral(Object v) {
    return v instanceof Integer || v instanceof Long;
  }

  /** -1 for -Infinity, 0 for a finite number, 1 for +Infinity, 2 for NaN (above all). */
  private static int rank(Object v) {
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d)) {
        return 2;
      }
      return d == Double.POSITIVE_INFINITY ? 1 : d == Double.NEGATIVE_INFINITY ? -1 : 0;
    }
    return 0;
  }

  private static BigDecimal decimal(Object v) {
    if (v instanceof BigDecimal) {
      return (BigDecimal) v;
    }
    if (v instanceof Double || v instanceof Float) {
      return new BigDecimal(((Number) v).doubleValue());
    }
    return BigDecimal.valueOf(((Number) v).longValue());
  }
}
