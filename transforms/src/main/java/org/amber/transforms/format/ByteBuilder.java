package org.amber.transforms.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** A growable byte array that rows are rendered into before they go to a gzip member. */
final class ByteBuilder {
  // The tens and ones digit of every number 0-99, so that numbers are written two digits at a time.
  private static final byte[] TENS = new byte[100];
  private static final byte[] ONES = new byte[100];

  static {
    for (int i = 0; i < 100; i++) {
      TENS[i] = (byte) ('0' + i / 10);
      ONES[i] = (byte) ('0' + i % 10);
    }
  }

  private byte[] bytes = new byte[1 << 16];
  private int length;

  ByteBuilder append(byte b) {
    ensure(1);
    bytes[length++] = b;
    return this;
  }

  ByteBuilder append(byte[] b) {
    return append(b, 0, b.length);
  }

  ByteBuilder append(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, bytes, length, len);
    length += len;
    return this;
  }

  /** Appends a string known to be ASCII (numbers, dates, base64). */
  ByteBuilder appendAscii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[length++] = (byte) s.charAt(i);
    }
    return this;
  }

  /** Decimal digits of a long, without a String in between. */
  ByteBuilder appendLong(long value) {
    if (value == Long.MIN_VALUE) {
      return appendAscii("-9223372036854775808");
    }
    ensure(20);
    if (value < 0) {
      bytes[length++] = '-';
      value = -value;
    }
    int end = length + digitCount(value);
    int pos = end;
    // Two digits per division, in int arithmetic once the value fits: most values are small.
    while (value > Integer.MAX_VALUE) {
      int pair = (int) (value % 100);
      value /= 100;
      bytes[--pos] = ONES[pair];
      bytes[--pos] = TENS[pair];
    }
    int v = (int) value;
    while (v >= 100) {
      int pair = v % 100;
      v /= 100;
      bytes[--pos] = ONES[pair];
      bytes[--pos] = TENS[pair];
    }
    bytes[--pos] = ONES[v];
    if (v >= 10) {
      bytes[--pos] = TENS[v];
    }
    length = end;
    return this;
  }

  /** A non-negative number below 10^9 as exactly {@code width} digits, zero-padded. */
  ByteBuilder appendPadded(int value, int width) {
    ensure(width);
    int pos = length + width;
    int left = width;
    for (; left >= 2; left -= 2) {
      int pair = value % 100;
      value /= 100;
      bytes[--pos] = ONES[pair];
      bytes[--pos] = TENS[pair];
    }
    if (left == 1) {
      bytes[--pos] = ONES[value % 10];
    }
    length += width;
    return this;
  }

  private static int digitCount(long value) {
    long bound = 10;
    for (int digits = 1; digits < 19; digits++) {
      if (value < bound) {
        return digits;
      }
      bound *= 10;
    }
    return 19;
  }

  int length() {
    return length;
  }

  void reset() {
    length = 0;
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, length);
    length = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  private void ensure(int extra) {
    if (length + extra > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
    }
  }
}
