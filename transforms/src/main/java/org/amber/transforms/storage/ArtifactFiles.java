package org.amber.transforms.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Beam {@link FileSystems} addressed by the URIs Amber writes in manifests and build records
 * ({@code file:///abs/…}, {@code gs://…}). Beam's local filesystem takes plain paths when naming
 * new files, so {@code file:} URIs are turned into paths here and nowhere else.
 */
public final class ArtifactFiles {
  private ArtifactFiles() {}

  /** A file that may not exist yet. */
  public static ResourceId file(String uri) {
    return FileSystems.matchNewResource(spec(uri), false);
  }

  /** A folder that may not exist yet. */
  public static ResourceId folder(String uri) {
    return FileSystems.matchNewResource(spec(uri), true);
  }

  public static boolean exists(String uri) throws IOException {
    return metadata(uri) != null;
  }

  /** Metadata of an existing file, or null. */
  public static MatchResult.Metadata metadata(String uri) throws IOException {
    MatchResult match = FileSystems.match(spec(uri));
    return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty()
        ? match.metadata().get(0)
        : null;
  }

  public static OutputStream create(String uri, String mimeType) throws IOException {
    return Channels.newOutputStream(FileSystems.create(file(uri), mimeType));
  }

  public static void write(String uri, byte[] bytes, String mimeType) throws IOException {
    try (OutputStream out = create(uri, mimeType)) {
      out.write(bytes);
    }
  }

  /**
   * Writes a file and, when it is local, forces it to disk before returning, so that a rename that
   * follows cannot publish a name whose contents a crash would lose. Other filesystems (gs://) get
   * a plain write: an object is durable once its upload completes, and their rename is Beam's
   * copy-and-delete, whatever it guarantees.
   */
  public static void writeDurably(String uri, byte[] bytes, String mimeType) throws IOException {
    if (!uri.startsWith("file:")) {
      write(uri, bytes, mimeType);
      return;
    }
    Path path = Path.of(URI.create(uri));
    Files.createDirectories(path.getParent());
    try (FileChannel channel =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  /**
   * Forces a local folder's entries (a rename into it) to disk; a no-op elsewhere. Linux lets a
   * folder be opened for reading and forced; where that is refused nothing more can be done.
   */
  public static void syncFolder(String uri) throws IOException {
    if (!uri.startsWith("file:")) {
      return;
    }
    try (FileChannel folder = FileChannel.open(Path.of(URI.create(uri)), StandardOpenOption.READ)) {
      folder.force(true);
    } catch (UnsupportedOperationException
        | java.nio.file.AccessDeniedException notOnThisPlatform) {
      // e.g. Windows cannot open a folder as a channel
    }
  }

  /** Removes a file; nothing happens when there is none. */
  public static void deleteIfExists(String uri) throws IOException {
    FileSystems.delete(
        java.util.List.of(file(uri)),
        org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  public static InputStream open(String uri) throws IOException {
    MatchResult.Metadata metadata = metadata(uri);
    if (metadata == null) {
      throw new java.io.FileNotFoundException("no file at " + uri);
    }
    return Channels.newInputStream(FileSystems.open(metadata.resourceId()));
  }

  /**
   * Copies {@code length} bytes of a file from {@code offset} through {@code buffer}, so that a run
   * of any size costs one buffer of memory.
   *
   * @throws java.io.EOFException when the file ends before the run does
   */
  public static void copyRange(
      String uri, long offset, long length, OutputStream out, byte[] buffer) throws IOException {
    MatchResult.Metadata metadata = metadata(uri);
    if (metadata == null) {
      throw new java.io.FileNotFoundException("no file at " + uri);
    }
    try (ReadableByteChannel channel = FileSystems.open(metadata.resourceId())) {
      long skip = offset;
      if (channel instanceof SeekableByteChannel seekable) {
        seekable.position(offset);
        skip = 0;
      }
      long left = skip + length;
      while (left > 0) {
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, (int) Math.min(buffer.length, left));
        int n = channel.read(chunk);
        if (n < 0) {
          throw new java.io.EOFException(uri + " ends before byte " + (offset + length));
        }
        long skipped = Math.min(skip, n);
        skip -= skipped;
        out.write(buffer, (int) skipped, (int) (n - skipped));
        left -= n;
      }
    }
  }

  /** Bytes {@code [offset, offset + length)} of a file. */
  public static byte[] readRange(String uri, long offset, int length) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(length);
    copyRange(uri, offset, length, out, new byte[Math.max(1, Math.min(length, 1 << 16))]);
    return out.toByteArray();
  }

  public static byte[] read(String uri) throws IOException {
    try (InputStream in = open(uri)) {
      return in.readAllBytes();
    }
  }

  private static String spec(String uri) {
    if (uri.startsWith("file:")) {
      String path = Path.of(URI.create(uri)).toString();
      return uri.endsWith("/") && !path.endsWith("/") ? path + "/" : path;
    }
    return uri;
  }
}
