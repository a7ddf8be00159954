package org.amber.transforms.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** A growable byte array that rows are rendered into before they go to a gzip member. */
final class ByteBuilder {
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
    int start = length;
    do {
      bytes[length++] = (byte) ('0' + value % 10);
      value /= 10;
    } while (value != 0);
    for (int i = start, j = length - 1; i < j; i++, j--) {
      byte t = bytes[i];
      bytes[i] = bytes[j];
      bytes[j] = t;
    }
    return this;
  }

  /** A non-negative number as exactly {@code width} digits, zero-padded. */
  ByteBuilder appendPadded(long value, int width) {
    ensure(width);
    for (int i = width - 1; i >= 0; i--) {
      bytes[length + i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    length += width;
    return this;
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
