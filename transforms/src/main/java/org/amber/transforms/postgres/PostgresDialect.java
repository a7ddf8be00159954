package org.amber.transforms.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.amber.artifacts.build.BuildRecord;
import org.amber.transforms.partition.PartitionPlan;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.source.BuildSnapshot;
import org.amber.transforms.source.JdbcSource;
import org.amber.transforms.source.PreparedSource;
import org.amber.transforms.source.QueryCheck;
import org.amber.transforms.source.ReadRequest;
import org.amber.transforms.source.SnapshotStrategy;
import org.amber.transforms.source.SourceDialect;
import org.amber.transforms.source.SourceRelation;

/**
 * PostgreSQL: every strategy, {@code exported} by default. The schema and plan are read inside the
 * build's snapshot and every partition reader imports it, so the same data always gives the same
 * plan and all partitions see one point in time.
 */
public final class PostgresDialect implements SourceDialect {
  private final JdbcSource source;

  public PostgresDialect(JdbcSource source) {
    this.source = source;
  }

  @Override
  public SnapshotStrategy strategy(SnapshotStrategy requested) {
    return requested == null ? SnapshotStrategy.EXPORTED : requested;
  }

  @Override
  public BuildSnapshot open(SnapshotStrategy strategy, String snapshotId, Duration maxHold)
      throws SQLException {
    if (strategy != SnapshotStrategy.EXPORTED) {
      return new Snapshot(strategy, null, null);
    }
    if (snapshotId != null) {
      // Held by another session (the catalog's coordinator): only its id is known here.
      return new Snapshot(strategy, new ExportedSnapshot(snapshotId, null, null, null), null);
    }
    SnapshotCoordinator coordinator = SnapshotCoordinator.export(source, maxHold);
    return new Snapshot(strategy, coordinator.snapshot(), coordinator);
  }

  /** One build's point in time: an exported snapshot (held here or elsewhere), or none. */
  private final class Snapshot implements BuildSnapshot {
    private final SnapshotStrategy strategy;
    private final ExportedSnapshot exported;
    private final SnapshotCoordinator coordinator;

    Snapshot(
        SnapshotStrategy strategy, ExportedSnapshot exported, SnapshotCoordinator coordinator) {
      this.strategy = strategy;
      this.exported = exported;
      this.coordinator = coordinator;
    }

    @Override
    public PreparedSource prepare(ReadRequest request) throws SQLException {
      String snapshotId = exported == null ? null : exported.id();
      Connection connection = PostgresSessions.openReadTransaction(source, snapshotId);
      try {
        SourceRelation relation =
            request.table() != null
                ? SourceRelation.table(resolveTable(connection, request.table()))
                : checkedQuery(connection, request.query());
        SourceSchema schema = PostgresSchemaReader.read(connection, relation, relation.isTable());
        Integer shards =
            strategy == SnapshotStrategy.SINGLE ? Integer.valueOf(1) : request.partitions();
        PartitionPlan plan =
            new PostgresPartitionPlanner(connection, relation, schema)
                .plan(request.partitionColumn(), shards, request.maxConnections());
        String serverVersion =
            exported != null ? exported.serverVersion() : setting(connection, "server_version");
        BuildRecord.Snapshot snapshotRecord =
            new BuildRecord.Snapshot(
                strategy.key(),
                strategy.consistency(),
                snapshotId,
                exported == null ? null : exported.lsn(),
                exported == null ? null : exported.txidSnapshot());
        return new PreparedSource(
            relation,
            schema,
            plan,
            new PostgresPartitionReader(source, relation, schema, plan, snapshotId),
            new BuildRecord.Source("postgresql", serverVersion, source.redactedUrl()),
            snapshotRecord);
      } finally {
        PostgresSessions.end(connection);
      }
    }

    @Override
    public boolean expired() {
      return coordinator != null && coordinator.expired();
    }

    @Override
    public void close() {
      if (coordinator != null) {
        coordinator.close();
      }
    }
  }

  /**
   * The query, once the server's own parser has read it as one subquery. The catalog checked it
   * when the dataset was defined; it is checked again here so that a build started any other way
   * (the CLI, a changed source) is held to the same rule.
   */
  private static SourceRelation checkedQuery(Connection connection, String query)
      throws SQLException {
    SourceRelation relation = SourceRelation.query(query);
    QueryCheck.checkIn(connection, JdbcSource.Kind.POSTGRESQL, relation.sql());
    return relation;
  }

  /** The table as the server names it, quoted where needed; fails clearly if there is none. */
  private static String resolveTable(Connection connection, String table) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?)::text")) {
      statement.setString(1, table);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        String resolved = rs.getString(1);
        if (resolved == null) {
          throw new IllegalArgumentException("the source has no table named '" + table + "'");
        }
        return resolved;
      }
    }
  }

  private static String setting(Connection connection, String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT current_setting(?)")) {
      statement.setString(1, name);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
