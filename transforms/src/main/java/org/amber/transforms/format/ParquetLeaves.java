package org.amber.transforms.format;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * The leaves of each physical type, and which one holds a column: Amber's canonical values (see
 * {@link ColumnType}) turned into Parquet's. Floats and doubles are kept as their raw bits, so that
 * every NaN and the sign of zero come back as they went in.
 */
final class ParquetLeaves {
  private static final int INITIAL_VALUES = 1 << 10;

  private ParquetLeaves() {}

  /** The leaf of a column (of a list column: of its elements) with its Parquet descriptor. */
  static ParquetLeaf of(Column column, ColumnDescriptor descriptor) {
    ColumnType type = column.type();
    if (type.kind() == ColumnType.Kind.LIST) {
      type = type.element();
    }
    switch (type.kind()) {
      case BOOL:
        return new Booleans(column, descriptor);
      case INT16:
      case INT32:
      case DATE:
      case INT64:
      case TIME:
      case TIMESTAMP:
      case TIMESTAMPTZ:
        return new Numbers(column, descriptor);
      case FLOAT32:
        return new Floats(column, descriptor);
      case FLOAT64:
        return new Doubles(column, descriptor);
      case DECIMAL:
        if (!type.isBoundedDecimal()) {
          return new Binaries(column, descriptor) {
            @Override
            void append(Object value) {
              put(ValueText.decimal(value).getBytes(StandardCharsets.UTF_8));
            }
          };
        }
        return decimals(column, descriptor, type);
      case STRING:
      case JSON:
      case BINARY:
      case UUID:
        return new Binaries(column, descriptor);
      default:
        throw new IllegalArgumentException("no Parquet leaf for " + type);
    }
  }

  /**
   * Bounded decimals as their unscaled values: INT32 up to 9 digits, INT64 up to 18, else the
   * smallest two's complement of their precision, big-endian.
   */
  private static ParquetLeaf decimals(
      Column column, ColumnDescriptor descriptor, ColumnType decimal) {
    int precision = decimal.precision();
    if (precision <= 9) {
      return new Numbers(column, descriptor) {
        @Override
        void append(Object value) {
          put(unscaled(value, column, decimal).intValueExact());
        }
      };
    }
    if (precision <= 18) {
      return new Numbers(column, descriptor) {
        @Override
        void append(Object value) {
          put(unscaled(value, column, decimal).longValueExact());
        }
      };
    }
    int width = ParquetShardWriter.decimalBytes(precision);
    return new Binaries(column, descriptor) {
      @Override
      void append(Object value) {
        byte[] minimal = unscaled(value, column, decimal).unscaledValue().toByteArray();
        byte[] fixed = new byte[width];
        Arrays.fill(fixed, 0, width - minimal.length, (byte) (minimal[0] < 0 ? 0xff : 0));
        System.arraycopy(minimal, 0, fixed, width - minimal.length, minimal.length);
        put(fixed);
      }
    };
  }

  /**
   * A decimal at the column's scale moved to scale 0: of up to 18 digits it keeps its unscaled
   * value in a long, where unscaledValue() would build a BigInteger for every value. NaN and the
   * infinities have no DECIMAL.
   */
  private static BigDecimal unscaled(Object value, Column column, ColumnType type) {
    if (!(value instanceof BigDecimal)) {
      throw new IllegalArgumentException(
          "column '"
              + column.name()
              + "' is numeric("
              + type.precision()
              + ","
              + type.scale()
              + ") but holds "
              + value
              + ", which Parquet's DECIMAL cannot store; cast the column to numeric (unbounded) or text");
    }
    BigDecimal decimal = ((BigDecimal) value).setScale(type.scale(), RoundingMode.UNNECESSARY);
    return type.precision() <= 18 ? decimal.scaleByPowerOfTen(type.scale()) : decimal;
  }

  /**
   * INT32 and INT64 values (FLOAT and DOUBLE as their raw bits), PLAIN as 4 or 8 bytes
   * little-endian. Kept as longs either way: a page of 20,000 values is small.
   */
  static class Numbers extends ParquetLeaf {
    private final ParquetDictionary.Longs dictionary = new ParquetDictionary.Longs();
    private final int width;
    long[] values = new long[INITIAL_VALUES];
    private int[] ids = new int[INITIAL_VALUES];

    Numbers(Column column, ColumnDescriptor descriptor) {
      super(column, descriptor, true);
      this.width =
          descriptor.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT64
                  || descriptor.getPrimitiveType().getPrimitiveTypeName()
                      == PrimitiveTypeName.DOUBLE
              ? 8
              : 4;
    }

    @Override
    void append(Object value) {
      put(width == 4 ? (Integer) value : (Long) value);
    }

    final void put(long value) {
      if (valueCount == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[valueCount] = value;
    }

    @Override
    BytesInput plain() {
      return BytesInput.from(plainOf(values, valueCount));
    }

    private byte[] plainOf(long[] entries, int count) {
      ByteBuffer out = ByteBuffer.allocate(count * width).order(ByteOrder.LITTLE_ENDIAN);
      if (width == 8) {
        out.asLongBuffer().put(entries, 0, count);
      } else {
        for (int i = 0; i < count; i++) {
          out.putInt((int) entries[i]);
        }
      }
      return out.array();
    }

    @Override
    long plainBytes() {
      return (long) valueCount * width;
    }

    @Override
    int[] dictionaryIds() {
      if (ids.length < values.length) {
        ids = new int[values.length];
      }
      for (int i = 0; i < valueCount; i++) {
        ids[i] = dictionary.idOf(values[i]);
      }
      return ids;
    }

    @Override
    int dictionarySize() {
      return dictionary.size();
    }

    @Override
    long dictionaryBytes() {
      return (long) dictionary.size() * width;
    }

    @Override
    void abandonDictionary(int size) {
      dictionary.truncate(size);
    }

    @Override
    BytesInput dictionaryPage() {
      long[] entries = new long[dictionary.size()];
      for (int id = 0; id < entries.length; id++) {
        entries[id] = dictionary.key(id);
      }
      return BytesInput.from(plainOf(entries, entries.length));
    }

    @Override
    void clearDictionary() {
      dictionary.clear();
    }

    @Override
    void updateStatistics(Statistics<?> statistics, int[] ids) {
      long min = values[0];
      long max = min;
      for (int i = 1; i < valueCount; i++) {
        min = Math.min(min, values[i]);
        max = Math.max(max, values[i]);
      }
      if (width == 4) {
        statistics.updateStats((int) min);
        statistics.updateStats((int) max);
      } else {
        statistics.updateStats(min);
        statistics.updateStats(max);
      }
    }

    @Override
    void clearValues() {}
  }

  /** FLOAT values as their raw bits; statistics by parquet-java's rules for NaN and zeros. */
  static final class Floats extends Numbers {
    Floats(Column column, ColumnDescriptor descriptor) {
      super(column, descriptor);
    }

    @Override
    void append(Object value) {
      put(Float.floatToRawIntBits((Float) value));
    }

    @Override
    void updateStatistics(Statistics<?> statistics, int[] ids) {
      for (int i = 0; i < valueCount; i++) {
        statistics.updateStats(Float.intBitsToFloat((int) values[i]));
      }
    }
  }

  /** DOUBLE values as their raw bits; statistics by parquet-java's rules for NaN and zeros. */
  static final class Doubles extends Numbers {
    Doubles(Column column, ColumnDescriptor descriptor) {
      super(column, descriptor);
    }

    @Override
    void append(Object value) {
      put(Double.doubleToRawLongBits((Double) value));
    }

    @Override
    void updateStatistics(Statistics<?> statistics, int[] ids) {
      for (int i = 0; i < valueCount; i++) {
        statistics.updateStats(Double.longBitsToDouble(values[i]));
      }
    }
  }

  /** BOOLEAN values, PLAIN as one bit each (first value in the lowest bit); no dictionary. */
  static final class Booleans extends ParquetLeaf {
    private boolean[] values = new boolean[INITIAL_VALUES];

    Booleans(Column column, ColumnDescriptor descriptor) {
      super(column, descriptor, false);
    }

    @Override
    void append(Object value) {
      if (valueCount == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[valueCount] = (Boolean) value;
    }

    @Override
    BytesInput plain() {
      byte[] bytes = new byte[(valueCount + 7) / 8];
      for (int i = 0; i < valueCount; i++) {
        if (values[i]) {
          bytes[i >>> 3] |= (byte) (1 << (i & 7));
        }
      }
      return BytesInput.from(bytes);
    }

    @Override
    long plainBytes() {
      return (valueCount + 7) / 8;
    }

    @Override
    int[] dictionaryIds() {
      throw new UnsupportedOperationException("BOOLEAN has no dictionary");
    }

    @Override
    int dictionarySize() {
      return 0;
    }

    @Override
    long dictionaryBytes() {
      return 0;
    }

    @Override
    void abandonDictionary(int size) {}

    @Override
    BytesInput dictionaryPage() {
      throw new UnsupportedOperationException("BOOLEAN has no dictionary");
    }

    @Override
    void clearDictionary() {}

    @Override
    void updateStatistics(Statistics<?> statistics, int[] ids) {
      boolean anyFalse = false;
      boolean anyTrue = false;
      for (int i = 0; i < valueCount; i++) {
        anyTrue |= values[i];
        anyFalse |= !values[i];
      }
      if (anyFalse) {
        statistics.updateStats(false);
      }
      if (anyTrue) {
        statistics.updateStats(true);
      }
    }

    @Override
    void clearValues() {}
  }

  /**
   * BINARY values (PLAIN: a 4-byte little-endian length, then the bytes) and FIXED_LEN_BYTE_ARRAY
   * ones (the bytes alone). While the chunk is dictionary-encoded each value is looked up as it is
   * appended, while its bytes are still in the cache, and only its id is kept (the dictionary holds
   * the value, so a repeated value is garbage at once); otherwise the page keeps the decoded arrays
   * themselves, not copies.
   */
  static class Binaries extends ParquetLeaf {
    private final ParquetDictionary.Binaries dictionary = new ParquetDictionary.Binaries();
    private final int prefix;
    private byte[][] values = new byte[INITIAL_VALUES][];
    private int[] ids = new int[INITIAL_VALUES];
    private long bytes;

    /** Whether values are looked up as they come: the chunk has not given up its dictionary. */
    private boolean lookingUp = true;

    /** Pages numbered from 1, and the last page each dictionary entry's statistics were in. */
    private int page;

    private int[] pageOfEntry = new int[INITIAL_VALUES];

    Binaries(Column column, ColumnDescriptor descriptor) {
      super(column, descriptor, true);
      this.prefix =
          descriptor.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY ? 4 : 0;
    }

    @Override
    void append(Object value) {
      put((byte[]) value);
    }

    final void put(byte[] value) {
      bytes += prefix + value.length;
      if (lookingUp) {
        if (valueCount == ids.length) {
          ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[valueCount] = dictionary.idOf(value);
        if (dictionaryBytes() > DICTIONARY_BYTES) {
          // Too large: the page (and the chunk) will be PLAIN. Its values so far are entries.
          valueCount++;
          unlook();
          valueCount--;
        }
        return;
      }
      if (valueCount == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[valueCount] = value;
    }

    /** Stops looking values up: the page's values so far back from their ids to arrays. */
    private void unlook() {
      if (values.length < ids.length) {
        values = new byte[ids.length][];
      }
      for (int i = 0; i < valueCount; i++) {
        values[i] = dictionary.key(ids[i]);
      }
      lookingUp = false;
    }

    @Override
    BytesInput plain() {
      return BytesInput.from(plainOf(values, valueCount, bytes));
    }

    private byte[] plainOf(byte[][] entries, int count, long size) {
      ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < count; i++) {
        if (prefix > 0) {
          out.putInt(entries[i].length);
        }
        out.put(entries[i]);
      }
      return out.array();
    }

    @Override
    long plainBytes() {
      return bytes;
    }

    @Override
    int[] dictionaryIds() {
      return lookingUp ? ids : null;
    }

    @Override
    int dictionarySize() {
      return dictionary.size();
    }

    @Override
    long dictionaryBytes() {
      return dictionary.bytes() + (long) prefix * dictionary.size();
    }

    @Override
    void abandonDictionary(int size) {
      if (lookingUp) {
        unlook();
      }
      dictionary.truncate(size);
    }

    @Override
    BytesInput dictionaryPage() {
      byte[][] entries = new byte[dictionary.size()][];
      for (int id = 0; id < entries.length; id++) {
        entries[id] = dictionary.key(id);
      }
      return BytesInput.from(plainOf(entries, entries.length, dictionaryBytes()));
    }

    @Override
    void clearDictionary() {
      dictionary.clear();
      lookingUp = true;
    }

    @Override
    void updateStatistics(Statistics<?> statistics, int[] ids) {
      if (ids == null) {
        for (int i = 0; i < valueCount; i++) {
          statistics.updateStats(Binary.fromConstantByteArray(values[i]));
        }
        return;
      }
      // Dictionary-encoded: each distinct value of the page compared once, not every value.
      if (pageOfEntry.length < dictionary.size()) {
        pageOfEntry =
            Arrays.copyOf(pageOfEntry, Math.max(dictionary.size(), pageOfEntry.length * 2));
      }
      page++;
      for (int i = 0; i < valueCount; i++) {
        int id = ids[i];
        if (pageOfEntry[id] != page) {
          pageOfEntry[id] = page;
          statistics.updateStats(Binary.fromConstantByteArray(dictionary.key(id)));
        }
      }
    }

    @Override
    void clearValues() {
      if (!lookingUp) {
        Arrays.fill(values, 0, valueCount, null);
      }
      bytes = 0;
    }
  }
}
