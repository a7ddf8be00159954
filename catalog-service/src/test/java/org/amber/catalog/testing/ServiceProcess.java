package org.amber.catalog.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged catalog ({@code java -jar amber-catalog.jar serve …}) as a real process, its output
 * in a log file.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("catalog listening on (\\S+):(\\d+)");

  private final Process process;
  private final Path log;

  private ServiceProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code serve} with these arguments; does not wait for it to listen. */
  public static ServiceProcess start(Path log, String... serveArgs) throws IOException {
    return start(log, Map.of(), serveArgs);
  }

  /** Likewise, with these variables added to its environment. */
  public static ServiceProcess start(Path log, Map<String, String> env, String... serveArgs)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(
        Path.of(System.getProperty("amber.catalog.jar", "target/amber-catalog.jar"))
            .toAbsolutePath()
            .toString());
    command.add("serve");
    command.addAll(List.of(serveArgs));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    return new ServiceProcess(process, log);
  }

  /** Waits until it listens; returns the port. Fails at once if the process exits instead. */
  public int awaitListening(Duration timeout) {
    return Integer.parseInt(awaitListeningLine(timeout).group(2));
  }

  /** The {@code host} it says it listens on. */
  public String listeningHost(Duration timeout) {
    return awaitListeningLine(timeout).group(1);
  }

  private Matcher awaitListeningLine(Duration timeout) {
    return Poll.until(
        "the service to listen",
        timeout,
        () -> {
          Matcher m = LISTENING.matcher(log());
          if (m.find()) {
            return m;
          }
          if (!process.isAlive()) {
            throw new AssertionError("the service exited: " + log());
          }
          return null;
        },
        m -> m != null);
  }

  public Process process() {
    return process;
  }

  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code kill -9}: nothing of it runs its shutdown. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, as an operator stops it, and waits for it to end. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
