package org.amber.catalog.artifact;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.amber.artifacts.build.BuildRecord;
import org.amber.artifacts.download.Piece;
import org.amber.artifacts.layout.DatasetLayout;

/**
 * The artifacts under a local output root ({@code file:///…}): reading manifests and shard files,
 * and removing a content address or a build's staging folder.
 *
 * <p>Committing a build's content and deleting an address must not interleave for one dataset, so
 * both run under {@link #withContentLock}.
 */
public final class ArtifactStore {
  /** Build records gain fields over time; an older catalog still reads what it knows. */
  private static final ObjectMapper BUILD_RECORDS =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final String root;
  private final Path rootPath;
  private final ConcurrentMap<String, Object> datasetLocks = new ConcurrentHashMap<>();

  public ArtifactStore(String rootUri) {
    URI uri = URI.create(rootUri);
    if (!"file".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "the catalog serves artifacts from a file:/// output root; got '" + rootUri + "'");
    }
    this.root = rootUri;
    this.rootPath = Path.of(uri).toAbsolutePath().normalize();
  }

  /** The output root URI that builds write under. */
  public String rootUri() {
    return root;
  }

  public DatasetLayout layout(String dataset) {
    return DatasetLayout.of(root, dataset);
  }

  public <T> T withContentLock(String dataset, Supplier<T> work) {
    synchronized (datasetLocks.computeIfAbsent(dataset, d -> new Object())) {
      return work.get();
    }
  }

  /** The committed {@code manifest.json} of an address, if it is there. */
  public Optional<byte[]> readManifest(String dataset, String address) {
    try {
      return Optional.of(Files.readAllBytes(path(layout(dataset).manifest(address))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A build's record ({@code <root>/<dataset>/builds/<build-id>.json}), if it has written one: how
   * a build that ran elsewhere says what it committed.
   */
  public Optional<BuildRecord> readBuildRecord(String dataset, String buildId) {
    try {
      return Optional.of(
          BUILD_RECORDS.readValue(
              Files.readAllBytes(path(layout(dataset).buildRecord(buildId))), BuildRecord.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A file below a content address, by its manifest-relative path; empty when the path leaves the
   * address folder or the file is missing.
   */
  public Optional<Path> file(String dataset, String address, String relativePath) {
    Path addressDir = path(layout(dataset).addressDir(address));
    Path file = addressDir.resolve(relativePath).normalize();
    if (!file.startsWith(addressDir) || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(file);
  }

  /**
   * The file made of these runs of an address's stored files; empty when one of them is missing
   * (the content was removed).
   */
  public Optional<AssembledFile> assemble(String dataset, String address, List<Piece> pieces) {
    List<AssembledFile.Part> parts = new ArrayList<>();
    for (Piece piece : pieces) {
      Optional<Path> file = file(dataset, address, piece.path());
      if (file.isEmpty()) {
        return Optional.empty();
      }
      parts.add(new AssembledFile.Part(file.get(), piece.offset(), piece.length()));
    }
    return Optional.of(new AssembledFile(parts));
  }

  /**
   * Removes a content address: {@code manifest.json} first, so it stops being a version at once.
   */
  public void deleteContent(String dataset, String address) {
    Path dir = path(layout(dataset).addressDir(address));
    try {
      Files.deleteIfExists(dir.resolve(DatasetLayout.MANIFEST));
      deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /** Removes a build's staging folder, if any. */
  public void deleteStaging(String dataset, String buildId) {
    Path dir = path(layout(dataset).stagingDir(buildId));
    try {
      deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  public Path path(String uri) {
    Path p = Path.of(URI.create(uri)).normalize();
    if (!p.startsWith(rootPath)) {
      throw new IllegalArgumentException(uri + " is outside the output root " + root);
    }
    return p;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
