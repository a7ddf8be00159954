package org.amber.transforms.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.junit.jupiter.api.Test;

/**
 * The encoder's bytes against parquet-java's own encoder, which wrote these pages before: the same
 * files, byte for byte, for every bit width and every way runs and groups can meet.
 */
class HybridEncoderTest {
  private final Random random = new Random(20261122);

  /** Value sequences that exercise each rule: runs around 8, groups around 63, the last group. */
  private List<int[]> corpus(int bitWidth) {
    int max = bitWidth == 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (1L << bitWidth) - 1);
    List<int[]> sequences = new ArrayList<>();
    sequences.add(new int[0]);
    for (int n : new int[] {1, 5, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 20_000}) {
      sequences.add(filled(n, max)); // one value throughout: a page of levels without nulls
      sequences.add(filled(n, 0));
      sequences.add(randomValues(n, max)); // bit-packed, more than 63 groups when long
    }
    for (int run : new int[] {6, 7, 8, 9, 16, 100}) {
      for (int offset = 0; offset < 9; offset++) {
        // A run starting at every position of a group, between values that differ.
        int[] values = randomValues(offset + run + 11, max);
        for (int i = offset; i < offset + run; i++) {
          values[i] = max;
        }
        sequences.add(values);
      }
    }
    for (int i = 0; i < 200; i++) {
      // Runs and noise mixed at random, as definition levels with scattered nulls are.
      int[] values = new int[1 + random.nextInt(3000)];
      int at = 0;
      while (at < values.length) {
        int length =
            Math.min(values.length - at, 1 + random.nextInt(random.nextBoolean() ? 4 : 40));
        int value = random.nextBoolean() ? max : bounded(max);
        for (int k = 0; k < length; k++) {
          values[at++] = random.nextInt(10) == 0 ? bounded(max) : value;
        }
      }
      sequences.add(values);
    }
    return sequences;
  }

  private int[] filled(int n, int value) {
    int[] values = new int[n];
    Arrays.fill(values, value);
    return values;
  }

  private int[] randomValues(int n, int max) {
    int[] values = new int[n];
    for (int i = 0; i < n; i++) {
      values[i] = bounded(max);
    }
    return values;
  }

  private int bounded(int max) {
    return max == Integer.MAX_VALUE ? random.nextInt() & max : random.nextInt(max + 1);
  }

  private static byte[] parquetJava(int[] values, int bitWidth) throws Exception {
    try (RunLengthBitPackingHybridEncoder encoder =
        new RunLengthBitPackingHybridEncoder(
            bitWidth, 64, 1 << 20, HeapByteBufferAllocator.getInstance())) {
      for (int value : values) {
        encoder.writeInt(value);
      }
      return encoder.toBytes().toByteArray();
    }
  }

  @Test
  void writesParquetJavasBytesForEveryBitWidth() throws Exception {
    HybridEncoder encoder = new HybridEncoder();
    int checked = 0;
    for (int bitWidth = 0; bitWidth <= 31; bitWidth++) {
      for (int[] values : corpus(bitWidth)) {
        byte[] expected = parquetJava(values, bitWidth);
        byte[] ids = encoder.widthPrefixed(values, values.length, bitWidth).toByteArray();
        assertEquals(bitWidth, ids[0], "width prefix");
        assertArrayEquals(
            expected,
            Arrays.copyOfRange(ids, 1, ids.length),
            "bit width " + bitWidth + ", " + values.length + " values");
        byte[] levels = encoder.lengthPrefixed(values, values.length, bitWidth).toByteArray();
        assertArrayEquals(
            BytesInput.concat(BytesInput.fromInt(expected.length), BytesInput.from(expected))
                .toByteArray(),
            levels,
            "levels, bit width " + bitWidth + ", " + values.length + " values");
        checked++;
      }
    }
    assertEquals(32 * corpus(0).size(), checked);
  }

  @Test
  void encodesOnlyTheCountGivenAndReadsBackThroughParquetJava() throws Exception {
    int[] values = randomValues(1000, 5);
    int[] longer = Arrays.copyOf(values, 1500);
    Arrays.fill(longer, 1000, 1500, 7);
    byte[] bytes = new HybridEncoder().widthPrefixed(longer, values.length, 3).toByteArray();
    RunLengthBitPackingHybridDecoder decoder =
        new RunLengthBitPackingHybridDecoder(
            3, new ByteArrayInputStream(bytes, 1, bytes.length - 1));
    for (int value : values) {
      assertEquals(value, decoder.readInt());
    }
    assertArrayEquals(parquetJava(values, 3), Arrays.copyOfRange(bytes, 1, bytes.length));
  }
}
