package org.amber.transforms.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.amber.transforms.source.JdbcSource;

/**
 * Holds one exported PostgreSQL snapshot for as long as a build reads it.
 *
 * <p>Its connection runs {@code BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY} and {@code
 * pg_export_snapshot()}, then stays idle in that transaction; every partition reader imports the
 * snapshot with {@code SET TRANSACTION SNAPSHOT}, so all of them see one point in time. Closing the
 * coordinator ends the transaction and with it the snapshot. A coordinator held longer than its
 * maximum hold time releases the snapshot by itself, so a stuck build cannot hold back VACUUM
 * forever; readers that start after that fail with "invalid snapshot identifier".
 *
 * <pre>{@code
 * try (SnapshotCoordinator coordinator = SnapshotCoordinator.export(source, Duration.ofHours(6))) {
 *   String id = coordinator.snapshot().id();
 *   // … run the readers with id …
 * }
 * }</pre>
 */
public final class SnapshotCoordinator implements AutoCloseable {
  private final Connection connection;
  private final ExportedSnapshot snapshot;
  private final ScheduledExecutorService watchdog;
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile boolean expired;

  private SnapshotCoordinator(Connection connection, ExportedSnapshot snapshot, Duration maxHold) {
    this.connection = connection;
    this.snapshot = snapshot;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "amber-snapshot-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    watchdog.schedule(this::expire, maxHold.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Exports a snapshot of {@code source} and holds it for at most {@code maxHold}. */
  public static SnapshotCoordinator export(JdbcSource source, Duration maxHold)
      throws SQLException {
    Connection connection = source.connect();
    try {
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        statement.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        // The coordinator is idle in transaction by design; a server-wide timeout must not end it.
        statement.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
        statement.execute("SET LOCAL statement_timeout = " + source.statementTimeoutMillis());
        try (ResultSet rs =
            statement.executeQuery(
                "SELECT pg_export_snapshot(),"
                    + " (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
                    + " ELSE pg_current_wal_lsn() END)::text,"
                    + " txid_current_snapshot()::text, current_setting('server_version')")) {
          rs.next();
          ExportedSnapshot snapshot =
              new ExportedSnapshot(
                  rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
          return new SnapshotCoordinator(connection, snapshot, maxHold);
        }
      }
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
  }

  public ExportedSnapshot snapshot() {
    return snapshot;
  }

  /** True when the maximum hold time passed and the snapshot was released by the watchdog. */
  public boolean expired() {
    return expired;
  }

  private void expire() {
    expired = true;
    release();
  }

  private void release() {
    if (released.compareAndSet(false, true)) {
      try (connection) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("COMMIT");
        }
      } catch (SQLException ignored) {
        // The connection may already be gone; either way the snapshot is no longer held.
      }
    }
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    release();
  }
}
