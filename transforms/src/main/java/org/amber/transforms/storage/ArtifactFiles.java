package org.amber.transforms.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Beam {@link FileSystems} addressed by the URIs Amber writes in manifests and build records
 * ({@code file:///abs/…}, {@code gs://…}). Beam's local filesystem takes plain paths when
 * naming new files, so {@code file:} URIs are turned into paths here and nowhere else.
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
    return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty() ? match.metadata().get(0) : null;
  }

  public static OutputStream create(String uri, String mimeType) throws IOException {
    return Channels.newOutputStream(FileSystems.create(file(uri), mimeType));
  }

  public static void write(String uri, byte[] bytes, String mimeType) throws IOException {
    try (OutputStream out = create(uri, mimeType)) {
      out.write(bytes);
    }
  }

  public static InputStream open(String uri) throws IOException {
    MatchResult.Metadata metadata = metadata(uri);
    if (metadata == null) {
      throw new java.io.FileNotFoundException("no file at " + uri);
    }
    return Channels.newInputStream(FileSystems.open(metadata.resourceId()));
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
