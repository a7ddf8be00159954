package org.amber.catalog.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The bytes of a representation a client may fetch whole or in ranges: its length is known before
 * the first byte, and any run of it can be written without holding the rest in memory.
 */
public interface Body {
  long length();

  /**
   * Writes bytes {@code [start, start + count)} to {@code out}, through {@code buffer} only (a
   * direct buffer lets file reads and socket writes skip the JDK's extra copies).
   *
   * @throws IOException when the client is gone, or a stored file is shorter than it should be
   */
  void copy(long start, long count, WritableByteChannel out, ByteBuffer buffer) throws IOException;

  /** A small body generated in memory (a checksum list), served with the same range support. */
  static Body of(byte[] bytes) {
    byte[] data = bytes.clone();
    return new Body() {
      @Override
      public long length() {
        return data.length;
      }

      @Override
      public void copy(long start, long count, WritableByteChannel out, ByteBuffer buffer)
          throws IOException {
        if (start < 0 || count < 0 || start + count > data.length) {
          throw new IndexOutOfBoundsException(start + "+" + count + " of " + data.length);
        }
        ByteBuffer run = ByteBuffer.wrap(data, (int) start, (int) count);
        while (run.hasRemaining()) {
          out.write(run);
        }
      }
    };
  }
}
