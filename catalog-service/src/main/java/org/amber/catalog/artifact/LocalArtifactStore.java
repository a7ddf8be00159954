package org.amber.catalog.artifact;

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
import org.amber.artifacts.download.Piece;
import org.amber.artifacts.layout.DatasetLayout;

/** The artifacts under a local output root ({@code file:///…}). */
public final class LocalArtifactStore extends AbstractArtifactStore {
  private final Path rootPath;

  public LocalArtifactStore(String rootUri) {
    super(rootUri);
    URI uri = URI.create(rootUri);
    if (!"file".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "the catalog serves artifacts from a file:/// or gs:// output root; got '"
              + rootUri
              + "'");
    }
    this.rootPath = Path.of(uri).toAbsolutePath().normalize();
  }

  @Override
  Optional<byte[]> read(String uri) {
    try {
      return Optional.of(Files.readAllBytes(path(uri)));
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
  private Optional<Path> file(String dataset, String address, String relativePath) {
    Path addressDir = path(layout(dataset).addressDir(address));
    Path file = addressDir.resolve(relativePath).normalize();
    if (!file.startsWith(addressDir) || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(file);
  }

  @Override
  public Optional<Body> storedFile(String dataset, String address, String relativePath) {
    return file(dataset, address, relativePath)
        .map(
            file -> {
              try {
                return new AssembledFile(
                    List.of(new AssembledFile.Part(file, 0, Files.size(file))));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  @Override
  public Optional<Body> assemble(String dataset, String address, List<Piece> pieces) {
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

  @Override
  public void deleteContent(String dataset, String address) {
    Path dir = path(layout(dataset).addressDir(address));
    try {
      Files.deleteIfExists(dir.resolve(DatasetLayout.MANIFEST));
      deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  @Override
  public void deleteStaging(String dataset, String buildId) {
    Path dir = path(layout(dataset).stagingDir(buildId));
    try {
      deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private Path path(String uri) {
    Path p = Path.of(URI.create(uri)).normalize();
    if (!p.startsWith(rootPath)) {
      throw new IllegalArgumentException(uri + " is outside the output root " + rootUri());
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
