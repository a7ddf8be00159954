package org.amber.catalog.artifact;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A file made of runs of stored files, one after another: a shard, or a one-file download that is
 * several shards' bytes without a second copy on disk. Reads go through the caller's fixed buffer,
 * and each stored file is open only while its run is being copied, so a download's memory and file
 * handles are bounded whatever its size, and a failed write releases them at once.
 */
public final class AssembledFile extends PartsBody<AssembledFile.Part> {
  /** A run of {@code length} bytes of {@code file} starting at {@code offset}. */
  public record Part(Path file, long offset, long length) implements PartsBody.Part {
    public Part {
      if (offset < 0 || length < 0) {
        throw new IllegalArgumentException("a part has a non-negative offset and length");
      }
    }
  }

  public AssembledFile(List<Part> parts) {
    super(parts);
  }

  @Override
  void copyRun(Part part, long from, long count, WritableByteChannel out, ByteBuffer buffer)
      throws IOException {
    try (FileChannel channel = FileChannel.open(part.file(), StandardOpenOption.READ)) {
      long position = part.offset() + from;
      long remaining = count;
      while (remaining > 0) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
        int n = channel.read(buffer, position);
        if (n < 0) {
          // The manifest promised more bytes than the file has: the content was damaged.
          throw new EOFException(part.file() + " ends before byte " + (position + remaining));
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        position += n;
        remaining -= n;
      }
    }
  }
}
