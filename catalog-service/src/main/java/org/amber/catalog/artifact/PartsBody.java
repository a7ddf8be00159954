package org.amber.catalog.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;

/**
 * A body made of runs of stored bytes one after another — {@link AssembledFile} over local files,
 * {@link GcsObjects} over objects: finds the runs a range covers and has the storage copy each.
 *
 * @param <P> a run of one stored file or object
 */
abstract class PartsBody<P extends PartsBody.Part> implements Body {
  /** A run of stored bytes. */
  interface Part {
    long length();
  }

  private final List<P> parts;
  private final long length;

  PartsBody(List<P> parts) {
    this.parts = List.copyOf(parts);
    this.length = this.parts.stream().mapToLong(Part::length).sum();
  }

  @Override
  public final long length() {
    return length;
  }

  @Override
  public final void copy(long start, long count, WritableByteChannel out, ByteBuffer buffer)
      throws IOException {
    if (start < 0 || count < 0 || start > length || count > length - start) {
      throw new IndexOutOfBoundsException(start + "+" + count + " of " + length);
    }
    long partStart = 0;
    long remaining = count;
    long position = start;
    for (P part : parts) {
      long partEnd = partStart + part.length();
      if (remaining > 0 && position < partEnd) {
        long from = position - partStart;
        long n = Math.min(remaining, part.length() - from);
        copyRun(part, from, n, out, buffer);
        position += n;
        remaining -= n;
      }
      partStart = partEnd;
    }
  }

  /**
   * Writes {@code count} bytes of {@code part} from its byte {@code from}, through {@code buffer}.
   */
  abstract void copyRun(P part, long from, long count, WritableByteChannel out, ByteBuffer buffer)
      throws IOException;
}
