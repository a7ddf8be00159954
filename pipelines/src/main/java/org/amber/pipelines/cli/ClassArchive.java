package org.amber.pipelines.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.amber.artifacts.protocol.ClassArchiveMarker;

/**
 * Vouches for the class data sharing archive a build's JVM writes at exit. Beam loads some 8,000
 * classes before the first row is read; a later build that maps the archive of them skips loading
 * them (the JVM's {@code -XX:SharedArchiveFile}, about 0.9 s of an empty build here).
 *
 * <p>The JVM writes the archive of whatever run it was given {@code -XX:ArchiveClassesAtExit}: one
 * that printed {@code --help} or refused a misspelt option as well as a build, and an archive of
 * the 600 classes such a run loads would leave every later build that much slower until the next
 * rebuild of the jar. So the launchers ({@code scripts/amber}, and the catalog for its child
 * builds) have each run without an archive write one of its own ({@code amber-pipelines.jsa.<pid>},
 * {@code .jsa.catalog-<uuid>}) and name a marker file in {@link ClassArchiveMarker#PROPERTY}; a
 * build creates the marker once it has committed, and only a marked archive, of a JVM that has
 * exited, is moved into place. (Asking the JVM to dump the archive right after the commit, {@code
 * jcmd VM.cds dynamic_dump}, leaves out the 1,500 classes loaded but not yet linked: builds mapping
 * it started 0.15-0.2 s later than with the archive written at exit.)
 */
final class ClassArchive {
  private ClassArchive() {}

  /**
   * Marks this JVM's archive as a committed build's, if the launcher asked. A failure only costs
   * later builds their head start, so it is not the build's: it is ignored, and a later build's
   * archive is kept instead.
   */
  static void markCommitted() {
    String marker = System.getProperty(ClassArchiveMarker.PROPERTY);
    if (marker == null || marker.isEmpty()) {
      return;
    }
    try {
      Files.write(Path.of(marker), new byte[0]);
    } catch (IOException | RuntimeException e) {
      // no marker: this run's archive is discarded by the next run
    }
  }
}
