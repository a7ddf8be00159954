package org.amber.catalog.artifact;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;

/**
 * {@link AssembledFile}'s counterpart for objects in Cloud Storage: a file made of runs of stored
 * objects, read by range through the client's {@link ReadChannel}. Each object's channel is open
 * only while its run is copied, and holds one chunk of at most the caller's buffer size, so a
 * download's memory stays bounded whatever its size.
 */
final class GcsObjects extends PartsBody<GcsObjects.Part> {
  /**
   * A run of {@code length} bytes of {@code object} (pinned to the generation that was looked at,
   * so a replaced object fails the read instead of mixing two contents) starting at {@code offset}.
   */
  record Part(BlobId object, long offset, long length) implements PartsBody.Part {
    Part {
      if (offset < 0 || length < 0) {
        throw new IllegalArgumentException("a part has a non-negative offset and length");
      }
    }
  }

  private final Storage storage;

  GcsObjects(Storage storage, List<Part> parts) {
    super(parts);
    this.storage = storage;
  }

  @Override
  void copyRun(Part part, long from, long count, WritableByteChannel out, ByteBuffer buffer)
      throws IOException {
    long first = part.offset() + from;
    try (ReadChannel channel = storage.reader(part.object())) {
      channel.setChunkSize(buffer.capacity());
      channel.seek(first);
      channel.limit(first + count);
      long remaining = count;
      while (remaining > 0) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
        int n = channel.read(buffer);
        if (n < 0) {
          // The manifest promised more bytes than the object has: the content was damaged.
          throw new EOFException(
              "gs://"
                  + part.object().getBucket()
                  + "/"
                  + part.object().getName()
                  + " ends before byte "
                  + (first + count));
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        remaining -= n;
      }
    } catch (com.google.cloud.storage.StorageException e) {
      throw new IOException(
          "cannot read gs://" + part.object().getBucket() + "/" + part.object().getName(), e);
    }
  }
}
