package org.amber.transforms.postgres;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Big-endian reads over a stream with a buffer of its own: the hot loop of binary COPY. */
final class BinaryInput {
  private final InputStream in;
  private final byte[] buffer;
  private int position;
  private int limit;

  BinaryInput(InputStream in, int bufferSize) {
    this.in = in;
    this.buffer = new byte[bufferSize];
  }

  private void require(int n) throws IOException {
    if (limit - position >= n) {
      return;
    }
    System.arraycopy(buffer, position, buffer, 0, limit - position);
    limit -= position;
    position = 0;
    while (limit < n) {
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) {
        throw new EOFException("COPY stream ended in the middle of a row");
      }
      limit += read;
    }
  }

  byte readByte() throws IOException {
    require(1);
    return buffer[position++];
  }

  short readShort() throws IOException {
    require(2);
    short value = (short) (((buffer[position] & 0xff) << 8) | (buffer[position + 1] & 0xff));
    position += 2;
    return value;
  }

  int readInt() throws IOException {
    require(4);
    int value =
        ((buffer[position] & 0xff) << 24)
            | ((buffer[position + 1] & 0xff) << 16)
            | ((buffer[position + 2] & 0xff) << 8)
            | (buffer[position + 3] & 0xff);
    position += 4;
    return value;
  }

  long readLong() throws IOException {
    long high = readInt() & 0xffffffffL;
    long low = readInt() & 0xffffffffL;
    return (high << 32) | low;
  }

  byte[] readBytes(int n) throws IOException {
    byte[] bytes = new byte[n];
    if (n <= buffer.length) {
      require(n);
      System.arraycopy(buffer, position, bytes, 0, n);
      position += n;
      return bytes;
    }
    int buffered = limit - position;
    System.arraycopy(buffer, position, bytes, 0, buffered);
    position = limit;
    int filled = buffered;
    while (filled < n) {
      int read = in.read(bytes, filled, n - filled);
      if (read < 0) {
        throw new EOFException("COPY stream ended in the middle of a value");
      }
      filled += read;
    }
    return bytes;
  }

  void skip(int n) throws IOException {
    if (n <= buffer.length) {
      require(n);
      position += n;
    } else {
      readBytes(n);
    }
  }
}
