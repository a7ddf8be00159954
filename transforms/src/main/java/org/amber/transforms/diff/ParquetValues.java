package org.amber.transforms.diff;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.amber.transforms.schema.ColumnType;
import org.apache.parquet.example.data.Group;

/**
 * Reads a value back from a Parquet record into the canonical Java form of its {@link ColumnType}
 * (the form the format writers take), the inverse of the Parquet shard writer's mapping.
 */
final class ParquetValues {
  private ParquetValues() {}

  static Object read(Group group, int field, ColumnType type) {
    if (group.getFieldRepetitionCount(field) == 0) {
      return null;
    }
    switch (type.kind()) {
      case BOOL:
        return group.getBoolean(field, 0);
      case INT16:
      case INT32:
      case DATE:
        return group.getInteger(field, 0);
      case INT64:
      case TIME:
      case TIMESTAMP:
      case TIMESTAMPTZ:
        return group.getLong(field, 0);
      case FLOAT32:
        return group.getFloat(field, 0);
      case FLOAT64:
        return group.getDouble(field, 0);
      case DECIMAL:
        return decimal(group, field, type);
      case STRING:
      case JSON:
      case BINARY:
      case UUID:
        return group.getBinary(field, 0).getBytes();
      case LIST:
        Group list = group.getGroup(field, 0);
        int n = list.getFieldRepetitionCount(0);
        List<Object> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          values.add(read(list.getGroup(0, i), 0, type.element()));
        }
        return values;
      default:
        throw new IllegalArgumentException("no Parquet reader for " + type);
    }
  }

  private static Object decimal(Group group, int field, ColumnType type) {
    if (!type.isBoundedDecimal()) {
      String text = new String(group.getBinary(field, 0).getBytes(), StandardCharsets.UTF_8);
      switch (text) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          return new BigDecimal(text);
      }
    }
    if (type.precision() <= 9) {
      return BigDecimal.valueOf(group.getInteger(field, 0), type.scale());
    }
    if (type.precision() <= 18) {
      return BigDecimal.valueOf(group.getLong(field, 0), type.scale());
    }
    return new BigDecimal(new BigInteger(group.getBinary(field, 0).getBytes()), type.scale());
  }
}
