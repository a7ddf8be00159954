package org.amber.catalog.build;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.amber.artifacts.protocol.ClassArchiveMarker;
import org.amber.catalog.artifact.ArtifactStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each build as a child JVM of the pipelines jar ({@code java -jar amber-pipelines.jar
 * materialise …}), so that a build that crashes or runs out of memory cannot take the catalog down
 * with it, and cancelling one is stopping a process.
 */
public final class LocalProcessLauncher implements BuildLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(LocalProcessLauncher.class);

  /** What a stopped build gets to exit by itself before it is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  /** Where the pipeline reads the source's JDBC URL from when it is given no --source. */
  static final String SOURCE_URL_ENV = "AMBER_SOURCE_URL";

  static final String SOURCE_PASSWORD_ENV = "AMBER_SOURCE_PASSWORD";

  private final Path pipelinesJar;
  private final String maxHeap;
  private final ArtifactStore artifacts;

  /** Set while a child records the class archive: one recording at a time is enough. */
  private final AtomicBoolean recording = new AtomicBoolean();

  /**
   * @param maxHeap the child's {@code -Xmx}, e.g. {@code 1g}
   */
  public LocalProcessLauncher(Path pipelinesJar, String maxHeap, ArtifactStore artifacts) {
    this.pipelinesJar = pipelinesJar.toAbsolutePath();
    this.maxHeap = maxHeap;
    this.artifacts = artifacts;
    dropUnfinishedArchives();
  }

  /**
   * Removes the archives (and marks) of children a catalog that stopped had left recording: their
   * JVMs are gone, and whether their builds committed is unknown.
   */
  private void dropUnfinishedArchives() {
    Path folder = pipelinesJar.getParent();
    String prefix = archivePath().getFileName() + ".catalog-";
    try (DirectoryStream<Path> left =
        Files.newDirectoryStream(folder, f -> f.getFileName().toString().startsWith(prefix))) {
      for (Path file : left) {
        Files.deleteIfExists(file);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not remove unfinished class archives in {}: {}", folder, e.getMessage());
    }
  }

  @Override
  public RunningBuild launch(BuildSpec spec, BuildListener listener) throws IOException {
    if (!Files.isRegularFile(pipelinesJar)) {
      throw new IOException(
          "the pipelines jar is not at "
              + pipelinesJar
              + " (build it with `mvn -B -pl pipelines -am package`, or set AMBER_PIPELINES_JAR)");
    }
    Optional<Path> recordTo = recordArchiveTo();
    ProcessBuilder builder = new ProcessBuilder(command(spec, recordTo));
    // What is secret or the client's goes by environment and stdin, never on the command line,
    // where any local user can read it (ps, /proc/<pid>/cmdline) and the kernel caps its size.
    Map<String, String> env = builder.environment();
    // A build sees only its own source, under the names the pipeline reads; not the catalog's.
    env.keySet()
        .removeIf(name -> name.startsWith("AMBER_SOURCE") || name.startsWith("AMBER_CATALOG"));
    env.put(SOURCE_URL_ENV, spec.sourceUrl());
    if (spec.sourcePassword() != null) {
      env.put(SOURCE_PASSWORD_ENV, spec.sourcePassword());
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      if (recordTo.isPresent()) {
        recording.set(false);
      }
      throw e;
    }
    // After the child has exited, and so written its archive, whatever became of its build.
    recordTo.ifPresent(partial -> process.onExit().thenRun(() -> keepIfCommitted(partial)));
    feedQuery(process, spec);
    LOG.info("{} started as process {}", spec, process.pid());
    return new ChildProcessBuild(
        process, spec, listener, () -> artifacts.deleteStaging(spec.dataset(), spec.buildId()));
  }

  /**
   * The class archive scripts/amber records next to the jar ({@code amber-pipelines.jsa}) on the
   * first build after each rebuild of it: a build that maps it loads Beam's classes from memory
   * instead of from the jars (most of a small build's start-up). One older than the jar was made
   * for an earlier build of it and does not fit.
   */
  Optional<Path> classArchive() {
    Path archive = archivePath();
    try {
      return Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(pipelinesJar))
              > 0
          ? Optional.of(archive)
          : Optional.empty();
    } catch (IOException missing) {
      return Optional.empty();
    }
  }

  private Path archivePath() {
    return besideJar(".jsa");
  }

  /** The file beside the jar named like it, with {@code suffix} for {@code .jar}. */
  private Path besideJar(String suffix) {
    String name = pipelinesJar.getFileName().toString();
    return pipelinesJar.resolveSibling(name.replaceFirst("\\.jar$", "") + suffix);
  }

  /**
   * Where a child should write the class archive at exit: when there is none newer than the jar,
   * the jar's folder is writable and no other child is recording one. Only a build that commits
   * vouches for its archive (a marker file, {@link ClassArchiveMarker#PROPERTY}): one that failed
   * early would hold too few classes and slow every later build ({@link #keepIfCommitted}).
   */
  private Optional<Path> recordArchiveTo() {
    if (classArchive().isPresent()
        || !Files.isWritable(pipelinesJar.getParent())
        || !recording.compareAndSet(false, true)) {
      return Optional.empty();
    }
    Path archive = archivePath();
    return Optional.of(
        archive.resolveSibling(archive.getFileName() + ".catalog-" + UUID.randomUUID()));
  }

  /** Moves a committed build's archive into place, and drops any other. */
  private void keepIfCommitted(Path partial) {
    Path marker = partial.resolveSibling(partial.getFileName() + ".ok");
    try {
      if (Files.exists(marker) && Files.isRegularFile(partial)) {
        Files.move(partial, archivePath(), StandardCopyOption.ATOMIC_MOVE);
        LOG.info("recorded the builds' class archive {}", archivePath());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not keep the class archive {}: {}", partial, e.getMessage());
    } finally {
      // Free for the next recording before this one's files go (its files have names of their
      // own): once they are gone, a build launched next records.
      recording.set(false);
      try {
        Files.deleteIfExists(partial);
        Files.deleteIfExists(marker);
      } catch (IOException e) {
        LOG.warn("could not remove {}: {}", partial, e.getMessage());
      }
    }
  }

  /**
   * The build's JVM options packaged next to the jar ({@code amber-pipelines.jvm-options}: its
   * collector, young generation and JIT thresholds, with the measurements behind them), which
   * scripts/amber reads too: a build runs the same whether the CLI or the catalog starts it.
   */
  Optional<Path> jvmOptions() {
    Path options = besideJar(".jvm-options");
    return Files.isRegularFile(options) ? Optional.of(options) : Optional.empty();
  }

  /** The child's command line, writing its class archive at exit to {@code recordTo} if given. */
  List<String> command(BuildSpec spec, Optional<Path> recordTo) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The java launcher reads an @file as options, one per line, # for comments.
    jvmOptions().ifPresent(options -> command.add("@" + options));
    command.add("-Xmx" + maxHeap);
    // Out of memory should end the build at once, not leave it thrashing.
    command.add("-XX:+ExitOnOutOfMemoryError");
    Optional<Path> archive = classArchive();
    if (archive.isPresent()) {
      command.add("-XX:SharedArchiveFile=" + archive.get());
    } else if (recordTo.isPresent()) {
      command.add("-XX:ArchiveClassesAtExit=" + recordTo.get());
      command.add("-D" + ClassArchiveMarker.PROPERTY + "=" + recordTo.get() + ".ok");
    }
    if (archive.isPresent() || recordTo.isPresent()) {
      // The JVM's notes on the archive stay off stdout, whose last line is the summary.
      command.add("-Xlog:disable");
    }
    command.add("-jar");
    command.add(pipelinesJar.toString());
    command.add("materialise");
    if (spec.query() != null) {
      command.add("--query-file=-");
    } else {
      command.add("--table=" + spec.table());
    }
    command.add("--dataset=" + spec.dataset());
    command.add("--output=" + artifacts.rootUri());
    command.add("--formats=" + String.join(",", spec.formats()));
    command.add("--build-id=" + spec.buildId());
    command.add("--progress=json");
    command.add("--statement-timeout=" + spec.statementTimeout());
    if (spec.partitionColumn() != null) {
      command.add("--partition-column=" + spec.partitionColumn());
    }
    if (spec.partitions() != null) {
      command.add("--partitions=" + spec.partitions());
    }
    if (spec.compareWith() != null) {
      command.add("--compare-with=" + spec.compareWith());
    }
    return command;
  }

  /**
   * Writes the query to the child's stdin and closes it (a table build gets an empty stdin). On its
   * own thread: a query larger than the pipe waits for the child's JVM to start reading.
   */
  private static void feedQuery(Process process, BuildSpec spec) {
    if (spec.query() == null) {
      closeQuietly(process.getOutputStream());
      return;
    }
    byte[] query = spec.query().getBytes(StandardCharsets.UTF_8);
    Thread writer =
        new Thread(
            () -> {
              try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(query);
              } catch (IOException e) {
                // The child ended before reading it all; its own exit says why.
                LOG.debug("{}: query not fully written: {}", spec, e.getMessage());
              }
            },
            "build-" + spec.buildId() + "-stdin");
    writer.setDaemon(true);
    writer.start();
  }

  private static void closeQuietly(OutputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      LOG.debug("closing a build's stdin: {}", e.getMessage());
    }
  }

  @Override
  public void cleanUpInterrupted(String dataset, String buildId, Long pid) {
    if (pid != null) {
      Optional<ProcessHandle> orphan =
          ProcessHandle.of(pid)
              .filter(ProcessHandle::isAlive)
              .filter(h -> h.info().commandLine().orElse("").contains("--build-id=" + buildId));
      orphan.ifPresent(
          h -> {
            LOG.warn("stopping build {} left running as process {}", buildId, pid);
            stopTree(h);
          });
    }
    artifacts.deleteStaging(dataset, buildId);
  }

  /** Asks a process and its children to stop, then kills what is left after the grace. */
  static void stopTree(ProcessHandle process) {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.add(process);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (ProcessHandle h : tree) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        h.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception stillRunning) {
        h.destroyForcibly();
      }
    }
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.error("process {} did not exit after being killed", h.pid());
      }
    }
  }
}
