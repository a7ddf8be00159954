package org.amber.transforms.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes one gzip member (RFC 1952) to a stream without closing it, so that several members can
 * follow one another in one file. The header is fixed (mtime 0, no name, OS "unknown"): the same
 * bytes in give the same bytes out on every machine.
 */
final class GzipMember extends OutputStream {
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final OutputStream out;
  private final Deflater deflater;
  private final CRC32 crc = new CRC32();
  private final byte[] buffer = new byte[1 << 16];
  private long size;
  private boolean finished;

  /**
   * @param level deflate level, 1 (fastest) to 9 (smallest)
   */
  GzipMember(OutputStream out, int level) throws IOException {
    this.out = out;
    this.deflater = new Deflater(level, true);
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    crc.update(b, off, len);
    size += len;
    deflater.setInput(b, off, len);
    while (!deflater.needsInput()) {
      drain();
    }
  }

  private void drain() throws IOException {
    int n = deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH);
    if (n > 0) {
      out.write(buffer, 0, n);
    }
  }

  /** Ends the member: the rest of the deflate stream, then CRC-32 and size. Leaves out open. */
  void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    deflater.finish();
    while (!deflater.finished()) {
      drain();
    }
    deflater.end();
    writeIntLe((int) crc.getValue());
    writeIntLe((int) size);
  }

  private void writeIntLe(int v) throws IOException {
    out.write(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
  }

  /** Abandons the member without writing the rest; frees the deflater. */
  @Override
  public void close() {
    if (!finished) {
      finished = true;
      deflater.end();
    }
  }
}
