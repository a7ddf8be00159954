package org.amber.transforms.source;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The source sessions a build has open in this JVM, so that a build that is cancelled, killed with
 * SIGTERM, fails or passes its maximum hold can stop its queries on the source instead of leaving
 * them running to the statement timeout.
 *
 * <p>A reader registers each session with a way to cancel its running statement (the driver's
 * cancel) and unregisters it when the session ends. {@link #stop} cancels every registered session
 * of a build and refuses new ones; {@link #awaitIdle} then waits until the build's sessions have
 * all ended — a worker writes a shard only while it holds a session, so after that no shard of the
 * build is being written. Workers in another JVM (Dataflow) are not reached from here: there the
 * statement timeout and {@code client_connection_check_interval} end them.
 */
public final class LiveQueries {
  private static final Duration RECANCEL = Duration.ofMillis(250);
  private static final Map<Object, Session> SESSIONS = new ConcurrentHashMap<>();
  private static final Set<String> STOPPED = new HashSet<>();

  /** Stops the statement a session is running; a no-op when it runs none. */
  @FunctionalInterface
  public interface Cancel {
    void cancel() throws SQLException;
  }

  private record Session(String buildId, Cancel cancel) {}

  private LiveQueries() {}

  /**
   * Registers a session of {@code buildId} (nothing happens when it is null).
   *
   * @param key what identifies the session when it is unregistered, e.g. its connection
   * @throws IllegalStateException when the build has already been stopped
   */
  public static void register(String buildId, Object key, Cancel cancel) {
    if (buildId == null) {
      return;
    }
    synchronized (STOPPED) {
      if (STOPPED.contains(buildId)) {
        throw new IllegalStateException(
            "build " + buildId + " was stopped; no new source session is opened");
      }
      SESSIONS.put(key, new Session(buildId, cancel));
    }
  }

  public static void unregister(Object key) {
    SESSIONS.remove(key);
  }

  /** Cancels every running statement of the build and refuses new sessions for it. */
  public static void stop(String buildId) {
    synchronized (STOPPED) {
      STOPPED.add(buildId);
    }
    cancelAll(buildId);
  }

  /**
   * Waits until every session of a stopped build has ended, cancelling again meanwhile (a session
   * may have been between two statements when it was first cancelled).
   *
   * @return false when some are still open after {@code timeout}
   */
  public static boolean awaitIdle(String buildId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (open(buildId) > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(RECANCEL.toMillis());
      cancelAll(buildId);
    }
    return true;
  }

  /** Forgets a finished build. */
  public static void forget(String buildId) {
    synchronized (STOPPED) {
      STOPPED.remove(buildId);
    }
    SESSIONS.values().removeIf(s -> s.buildId().equals(buildId));
  }

  /** How many sessions of the build are open. */
  public static int open(String buildId) {
    return (int) SESSIONS.values().stream().filter(s -> s.buildId().equals(buildId)).count();
  }

  private static void cancelAll(String buildId) {
    List<Session> sessions = new ArrayList<>();
    SESSIONS.values().stream().filter(s -> s.buildId().equals(buildId)).forEach(sessions::add);
    for (Session session : sessions) {
      try {
        session.cancel().cancel();
      } catch (SQLException | RuntimeException e) {
        // Already closed or the server is gone: either way the statement is not running.
      }
    }
  }
}
