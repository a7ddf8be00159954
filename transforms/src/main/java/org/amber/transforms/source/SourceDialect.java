package org.amber.transforms.source;

import java.sql.SQLException;
import java.time.Duration;
import org.amber.transforms.jdbc.GenericJdbcDialect;
import org.amber.transforms.postgres.PostgresDialect;

/**
 * How one kind of database is read by a build: which {@link SnapshotStrategy strategies} it offers,
 * how it holds the build's point in time, and how it prepares the build inside it (schema,
 * partition plan, partition reader and the facts the build record keeps). The kind is chosen once,
 * from the source's JDBC URL; nothing after that asks which kind it is.
 *
 * <pre>{@code
 * SourceDialect dialect = SourceDialect.of(source);
 * SnapshotStrategy strategy = dialect.strategy(null); // the source's default
 * try (BuildSnapshot snapshot = dialect.open(strategy, null, Duration.ofHours(6))) {
 *   PreparedSource prepared = snapshot.prepare(new ReadRequest(null, "SELECT * FROM t", null, null, 8));
 *   // … export prepared.plan().partitions() with prepared.reader() …
 * }
 * }</pre>
 */
public interface SourceDialect {

  /** PostgreSQL for a {@code jdbc:postgresql:} URL, the generic JDBC reader for any other. */
  static SourceDialect of(JdbcSource source) {
    return source.kind() == JdbcSource.Kind.POSTGRESQL
        ? new PostgresDialect(source)
        : new GenericJdbcDialect(source);
  }

  /**
   * The strategy a build reads with: {@code requested}, or the source's default when it is null.
   *
   * @throws IllegalArgumentException when this source cannot read with the requested strategy
   */
  SnapshotStrategy strategy(SnapshotStrategy requested);

  /**
   * Takes hold of the point in time the build reads, for at most {@code maxHold}: exports a
   * snapshot and holds it, imports the one named by {@code snapshotId} (held elsewhere), or none.
   *
   * @param strategy a strategy this source accepted in {@link #strategy}
   * @param snapshotId a snapshot held by another session, or null
   */
  BuildSnapshot open(SnapshotStrategy strategy, String snapshotId, Duration maxHold)
      throws SQLException;
}
