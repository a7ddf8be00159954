package org.amber.catalog.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.amber.catalog.artifact.ArtifactStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each build as a child JVM of the pipelines jar ({@code java -jar amber-pipelines.jar
 * materialise …}), so that a build that crashes or runs out of memory cannot take the catalog
 * down with it, and cancelling one is stopping a process.
 */
public final class LocalProcessLauncher implements BuildLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(LocalProcessLauncher.class);
  /** What a stopped build gets to exit by itself before it is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Path pipelinesJar;
  private final String maxHeap;
  private final ArtifactStore artifacts;

  /**
   * @param maxHeap the child's {@code -Xmx}, e.g. {@code 1g}
   */
  public LocalProcessLauncher(Path pipelinesJar, String maxHeap, ArtifactStore artifacts) {
    this.pipelinesJar = pipelinesJar.toAbsolutePath();
    this.maxHeap = maxHeap;
    this.artifacts = artifacts;
  }

  @Override
  public RunningBuild launch(BuildSpec spec, BuildListener listener) throws IOException {
    if (!Files.isRegularFile(pipelinesJar)) {
      throw new IOException(
          "the pipelines jar is not at "
              + pipelinesJar
              + " (build it with `mvn -B -pl pipelines -am package`, or set AMBER_PIPELINES_JAR)");
    }
    ProcessBuilder builder = new ProcessBuilder(command(spec));
    Map<String, String> env = builder.environment();
    // A build sees only its own source's password, under the name the pipeline reads.
    env.keySet().removeIf(name -> name.startsWith("AMBER_SOURCE_") && name.endsWith("_PASSWORD"));
    if (spec.sourcePassword() != null) {
      env.put("AMBER_SOURCE_PASSWORD", spec.sourcePassword());
    }
    Process process = builder.start();
    // A build reads nothing from the catalog; an open stdin would only keep a pipe alive.
    process.getOutputStream().close();
    LOG.info("{} started as process {}", spec, process.pid());
    return new ChildProcessBuild(
        process, spec, listener, () -> artifacts.deleteStaging(spec.dataset(), spec.buildId()));
  }

  List<String> command(BuildSpec spec) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    // Out of memory should end the build at once, not leave it thrashing.
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-jar");
    command.add(pipelinesJar.toString());
    command.add("materialise");
    command.add("--source=" + spec.sourceUrl());
    if (spec.query() != null) {
      command.add("--query=" + spec.query());
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
    return command;
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
