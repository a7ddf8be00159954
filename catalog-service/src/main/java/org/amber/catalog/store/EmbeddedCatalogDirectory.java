package org.amber.catalog.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded catalog's own directory, private to the service's user (mode 0700):
 *
 * <pre>
 * &lt;dir&gt;/password   the catalog superuser's password, generated on first start (mode 0600)
 * &lt;dir&gt;/pgdata/    the PostgreSQL data directory
 * </pre>
 *
 * It also takes over a data directory from the former layout and stops a postmaster that a killed
 * service left running, so that the next start does not wait on it.
 */
final class EmbeddedCatalogDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCatalogDirectory.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(20);

  private final Path dir;

  private EmbeddedCatalogDirectory(Path dir) {
    this.dir = dir;
  }

  /**
   * Creates the directory (or tightens its mode), moves a former catalog data directory in if there
   * is one, and makes the password if there is none yet.
   *
   * @param former where an older version kept the PostgreSQL data directory (has {@code
   *     PG_VERSION}); moved to {@link #pgData()} when that does not exist yet
   */
  static EmbeddedCatalogDirectory prepare(Path dir, Path former) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    EmbeddedCatalogDirectory catalog = new EmbeddedCatalogDirectory(dir);
    if (former != null
        && Files.isRegularFile(former.resolve("PG_VERSION"))
        && !Files.exists(catalog.pgData())) {
      stopOrphanedPostmaster(former);
      Files.move(former, catalog.pgData());
      LOG.info("moved the catalog database from {} to {}", former, catalog.pgData());
    }
    catalog.ensurePassword();
    return catalog;
  }

  Path pgData() {
    return dir.resolve("pgdata");
  }

  Path passwordFile() {
    return dir.resolve("password");
  }

  String password() throws IOException {
    return Files.readString(passwordFile(), StandardCharsets.US_ASCII).trim();
  }

  /**
   * True when the data directory was made by an older version that let anyone in ({@code trust}).
   */
  boolean trustsLocalUsers() throws IOException {
    Path hba = pgData().resolve("pg_hba.conf");
    if (!Files.exists(hba)) {
      return false;
    }
    return Files.readAllLines(hba).stream()
        .map(String::trim)
        .filter(line -> !line.startsWith("#"))
        .anyMatch(line -> line.matches(".*\\btrust\\b.*"));
  }

  /** Lets in only password (SCRAM) logins, which is all the catalog uses. */
  void requirePasswords() throws IOException {
    Files.writeString(
        pgData().resolve("pg_hba.conf"),
        String.join(
            "\n",
            "# Written by the Amber catalog: password (SCRAM) logins only, from this machine.",
            "local all all scram-sha-256",
            "host all all 127.0.0.1/32 scram-sha-256",
            "host all all ::1/128 scram-sha-256",
            ""));
  }

  /** The live postmaster serving the data directory, by its {@code postmaster.pid}, if any. */
  Optional<RunningPostmaster> runningPostmaster() throws IOException {
    return runningPostmaster(pgData());
  }

  /** A live postmaster and the port it listens on. */
  record RunningPostmaster(ProcessHandle process, int port) {}

  private static Optional<RunningPostmaster> runningPostmaster(Path pgData) throws IOException {
    Path pidFile = pgData.resolve("postmaster.pid");
    List<String> lines;
    try {
      lines = Files.readAllLines(pidFile);
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    }
    if (lines.size() < 4) {
      return Optional.empty();
    }
    long pid;
    int port;
    try {
      pid = Long.parseLong(lines.get(0).trim());
      port = Integer.parseInt(lines.get(3).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        // A pid file outliving a reboot may name an unrelated process that now has that pid.
        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false))
        .map(p -> new RunningPostmaster(p, port));
  }

  /**
   * Stops the postmaster a killed service left running on this data directory; refuses when a live
   * service still owns it (holds the embedded server's lock file).
   */
  void stopOrphanedPostmaster() throws IOException {
    Path lockFile = pgData().resolve("epg-lock");
    if (Files.exists(lockFile)) {
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
          FileLock lock = channel.tryLock()) {
        if (lock == null) {
          throw new IOException("another catalog service is using " + pgData());
        }
      } catch (java.nio.channels.OverlappingFileLockException e) {
        throw new IOException("this process already runs the catalog database in " + pgData(), e);
      }
    }
    stopOrphanedPostmaster(pgData());
  }

  private static void stopOrphanedPostmaster(Path pgData) throws IOException {
    Optional<RunningPostmaster> orphan = runningPostmaster(pgData);
    if (orphan.isEmpty()) {
      return;
    }
    ProcessHandle postmaster = orphan.get().process();
    LOG.warn("stopping the catalog database left running as process {}", postmaster.pid());
    // SIGINT is PostgreSQL's fast shutdown: its sessions are gone with the killed service anyway.
    signal(postmaster, "INT");
    if (!exited(postmaster, STOP_WAIT)) {
      // Immediate shutdown: crash recovery on the next start replays the WAL, losing nothing.
      signal(postmaster, "QUIT");
      if (!exited(postmaster, STOP_WAIT)) {
        throw new IOException(
            "the catalog database left running as process " + postmaster.pid() + " does not stop");
      }
    }
  }

  private static void signal(ProcessHandle process, String signal) throws IOException {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping process " + process.pid(), e);
    }
  }

  private static boolean exited(ProcessHandle process, Duration wait) {
    try {
      process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void ensurePassword() throws IOException {
    Path file = passwordFile();
    if (!Files.exists(file)) {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      Path partial = dir.resolve("password.partial");
      Files.deleteIfExists(partial);
      // Created with its final mode, so it is never readable by others, not even for a moment.
      Files.createFile(
          partial,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(
          partial, Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
      Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    if (password().isEmpty()) {
      throw new IOException(file + " is empty: it must hold the catalog database's password");
    }
  }
}
