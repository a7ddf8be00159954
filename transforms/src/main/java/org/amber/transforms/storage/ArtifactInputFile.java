package org.amber.transforms.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * parquet-java's view of a file on any Beam filesystem (local or gs://), read through a seekable
 * channel: Parquet readers seek to the footer first, then to each column chunk.
 */
public final class ArtifactInputFile implements InputFile {
  private final ResourceId resource;
  private final long length;

  /**
   * @param resource the file
   * @param length its size in bytes (the manifest's, or the filesystem's metadata)
   */
  public ArtifactInputFile(ResourceId resource, long length) {
    this.resource = resource;
    this.length = length;
  }

  /** An existing file by its URI ({@code file:///…}, {@code gs://…}). */
  public static ArtifactInputFile of(String uri) throws IOException {
    var metadata = ArtifactFiles.metadata(uri);
    if (metadata == null) {
      throw new java.io.FileNotFoundException("no file at " + uri);
    }
    return new ArtifactInputFile(metadata.resourceId(), metadata.sizeBytes());
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(resource);
    return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
      @Override
      public long getPos() throws IOException {
        return channel.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        channel.position(newPos);
      }

      @Override
      public void readFully(byte[] bytes, int start, int len) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, start, len);
        while (buffer.hasRemaining()) {
          if (channel.read(buffer) < 0) {
            throw new EOFException();
          }
        }
      }
    };
  }
}
