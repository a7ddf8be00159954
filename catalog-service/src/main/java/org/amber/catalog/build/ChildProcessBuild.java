package org.amber.catalog.build;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.amber.artifacts.protocol.BuildEvent;
import org.amber.artifacts.protocol.BuildSummary;
import org.amber.artifacts.protocol.ProtocolLines;
import org.amber.catalog.domain.model.BuildError;
import org.amber.catalog.domain.model.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build running as a child process: reads its progress lines from stderr and its summary line
 * from stdout, and turns its exit into a {@link BuildResult}.
 */
final class ChildProcessBuild implements RunningBuild {
  private static final Logger LOG = LoggerFactory.getLogger(ChildProcessBuild.class);

  /** {@code -XX:+ExitOnOutOfMemoryError} exits with this code. */
  private static final int OUT_OF_MEMORY_EXIT = 3;

  private static final int STDERR_LINES_KEPT = 20;

  private final Process process;
  private final BuildSpec spec;
  private final BuildListener listener;
  private final Runnable deleteStaging;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final CompletableFuture<BuildResult> result = new CompletableFuture<>();
  private final Thread stdoutReader;
  private final Thread stderrReader;

  private volatile String lastStdoutLine;
  private volatile String errorEvent;
  private volatile boolean sawOutOfMemory;
  private final Deque<String> stderrTail = new ArrayDeque<>();

  ChildProcessBuild(
      Process process, BuildSpec spec, BuildListener listener, Runnable deleteStaging) {
    this.process = process;
    this.spec = spec;
    this.listener = listener;
    this.deleteStaging = deleteStaging;
    stdoutReader = reader("stdout", process.getInputStream(), this::onStdout);
    stderrReader = reader("stderr", process.getErrorStream(), this::onStderr);
    Thread waiter =
        new Thread(
            () -> {
              try {
                process.waitFor();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              onExit();
            },
            "build-" + spec.buildId() + "-exit");
    waiter.setDaemon(true);
    waiter.start();
  }

  @Override
  public OptionalLong pid() {
    return OptionalLong.of(process.pid());
  }

  @Override
  public CompletableFuture<BuildResult> result() {
    return result;
  }

  @Override
  public void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      LOG.info("cancelling {}", spec);
      LocalProcessLauncher.stopTree(process.toHandle());
    }
    result.join();
  }

  private Thread reader(String stream, InputStream in, Consumer<String> onLine) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  onLine.accept(line);
                }
              } catch (IOException e) {
                LOG.debug("{} {} closed: {}", spec, stream, e.getMessage());
              }
            },
            "build-" + spec.buildId() + "-" + stream);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void onStdout(String line) {
    if (!line.isBlank()) {
      lastStdoutLine = line;
    }
  }

  private void onStderr(String line) {
    Optional<BuildEvent> event = ProtocolLines.readEvent(line);
    if (event.isEmpty()) {
      if (line.contains("java.lang.OutOfMemoryError")) {
        sawOutOfMemory = true;
      }
      synchronized (stderrTail) {
        if (!line.isBlank()) {
          stderrTail.addLast(line);
          if (stderrTail.size() > STDERR_LINES_KEPT) {
            stderrTail.removeFirst();
          }
        }
      }
      LOG.debug("{}: {}", spec, line);
    } else if (event.get() instanceof BuildEvent.Started started) {
      report(new Progress(0, started.partitionsTotal(), 0, 0));
    } else if (event.get() instanceof BuildEvent.Progress counters) {
      report(
          new Progress(
              counters.partitionsDone(),
              counters.partitionsTotal(),
              counters.rows(),
              counters.bytes()));
    } else if (event.get() instanceof BuildEvent.Error error) {
      errorEvent = error.message();
    }
  }

  private void report(Progress next) {
    try {
      listener.onProgress(next);
    } catch (RuntimeException e) {
      LOG.warn("{}: could not record progress: {}", spec, e.getMessage());
    }
  }

  private void onExit() {
    try {
      // Everything the child wrote is read before its result is judged.
      stdoutReader.join();
      stderrReader.join();
      BuildResult outcome = outcome(process.exitValue());
      if (!(outcome instanceof BuildResult.Succeeded)) {
        deleteStaging.run();
      }
      LOG.info("{} ended: {}", spec, outcome);
      result.complete(outcome);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.complete(
          new BuildResult.Failed(new BuildError(BuildError.INTERRUPTED, "interrupted")));
    } catch (RuntimeException e) {
      result.complete(
          new BuildResult.Failed(
              new BuildError(BuildError.BUILD_FAILED, "could not clean up: " + e.getMessage())));
    }
  }

  private BuildResult outcome(int exitCode) {
    if (cancelled.get()) {
      return new BuildResult.Cancelled();
    }
    if (exitCode == 0) {
      Optional<BuildSummary> summary = ProtocolLines.readSummary(lastStdoutLine);
      if (summary.isPresent()) {
        BuildSummary made = summary.get();
        return new BuildResult.Succeeded(
            made.address(),
            made.manifest(),
            made.contentDigest(),
            made.rows(),
            made.bytes(),
            made.build(),
            made.changes());
      }
      return new BuildResult.Failed(
          new BuildError(
              BuildError.BUILD_FAILED, "the build process ended without printing its summary"));
    }
    if (exitCode == OUT_OF_MEMORY_EXIT || sawOutOfMemory) {
      return new BuildResult.Failed(
          new BuildError(
              BuildError.OUT_OF_MEMORY,
              "the build ran out of memory (its heap is set with --build-heap)"));
    }
    String message = errorEvent;
    if (message == null) {
      synchronized (stderrTail) {
        message = stderrTail.isEmpty() ? null : stderrTail.getLast();
      }
    }
    if (message == null) {
      message = "the build process exited with code " + exitCode;
    }
    return new BuildResult.Failed(new BuildError(BuildError.BUILD_FAILED, message));
  }
}
