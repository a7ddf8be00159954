package org.amber.pipelines.materialise;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.amber.artifacts.build.BuildRecord;
import org.amber.transforms.jdbc.JdbcDialect;
import org.amber.transforms.jdbc.JdbcPartitionPlanner;
import org.amber.transforms.jdbc.JdbcPartitionReader;
import org.amber.transforms.jdbc.JdbcSchemaReader;
import org.amber.transforms.partition.PartitionPlan;
import org.amber.transforms.postgres.ExportedSnapshot;
import org.amber.transforms.postgres.PostgresPartitionPlanner;
import org.amber.transforms.postgres.PostgresPartitionReader;
import org.amber.transforms.postgres.PostgresSchemaReader;
import org.amber.transforms.postgres.PostgresSessions;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.source.JdbcSource;
import org.amber.transforms.source.QueryCheck;
import org.amber.transforms.source.SourceRelation;

/**
 * Reads a source's schema and computes the partition plan, inside the build's snapshot when it has
 * one, and chooses the partition reader for the source's kind.
 */
final class SourcePreparer {
  private final JdbcSource source;
  private final String password;
  private final MaterialiseOptions options;

  SourcePreparer(JdbcSource source, String password, MaterialiseOptions options) {
    this.source = source;
    this.password = password;
    this.options = options;
  }

  /** A source without exported snapshots: any JDBC database but PostgreSQL. */
  boolean isGeneric() {
    return source.kind() != JdbcSource.Kind.POSTGRESQL;
  }

  /**
   * @param snapshot the exported snapshot the build reads, or null ({@code single}, {@code none})
   */
  PreparedSource postgres(SnapshotStrategy strategy, ExportedSnapshot snapshot)
      throws SQLException {
    String snapshotId = snapshot == null ? null : snapshot.id();
    Connection connection = PostgresSessions.openReadTransaction(source, snapshotId);
    try {
      SourceRelation relation =
          options.getTable() != null
              ? SourceRelation.table(resolveTable(connection, options.getTable()))
              : checkedQuery(connection, JdbcSource.Kind.POSTGRESQL);
      SourceSchema schema = PostgresSchemaReader.read(connection, relation, relation.isTable());
      Integer shards =
          strategy == SnapshotStrategy.SINGLE ? Integer.valueOf(1) : options.getPartitions();
      PartitionPlan plan =
          new PostgresPartitionPlanner(connection, relation, schema)
              .plan(options.getPartitionColumn(), shards, options.getMaxConnections());
      String serverVersion =
          snapshot != null ? snapshot.serverVersion() : setting(connection, "server_version");
      BuildRecord.Snapshot snapshotRecord =
          new BuildRecord.Snapshot(
              strategy.key(),
              strategy.consistency(),
              snapshotId,
              snapshot == null ? null : snapshot.lsn(),
              snapshot == null ? null : snapshot.txidSnapshot());
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

  /** Any other JDBC database: no shared snapshot, each partition its own transaction. */
  PreparedSource generic() throws SQLException {
    try (Connection connection = source.connect()) {
      connection.setReadOnly(true);
      JdbcDialect dialect = JdbcDialect.of(connection);
      SourceRelation relation =
          options.getTable() != null
              ? SourceRelation.table(options.getTable())
              : checkedQuery(connection, JdbcSource.Kind.GENERIC);
      SourceSchema schema =
          JdbcSchemaReader.read(connection, relation, dialect, relation.isTable());
      PartitionPlan plan =
          new JdbcPartitionPlanner(connection, relation, schema, dialect)
              .plan(
                  options.getPartitionColumn(),
                  options.getPartitions(),
                  options.getMaxConnections());
      String product = connection.getMetaData().getDatabaseProductName();
      String version = connection.getMetaData().getDatabaseProductVersion();
      connection.rollback();
      return new PreparedSource(
          relation,
          schema,
          plan,
          new JdbcPartitionReader(
              options.getSource(),
              password,
              source.statementTimeoutMillis(),
              relation,
              schema,
              plan,
              source.buildId()),
          new BuildRecord.Source(
              product.toLowerCase(java.util.Locale.ROOT), version, source.redactedUrl()),
          new BuildRecord.Snapshot(
              SnapshotStrategy.NONE.key(), SnapshotStrategy.NONE.consistency(), null, null, null));
    }
  }

  /**
   * The query, once the source's own parser has read it as one subquery. The catalog checked it
   * when the dataset was defined; it is checked again here so that a build started any other way
   * (the CLI, a changed source) is held to the same rule.
   */
  private SourceRelation checkedQuery(Connection connection, JdbcSource.Kind kind)
      throws SQLException {
    SourceRelation relation = SourceRelation.query(options.getQuery());
    QueryCheck.checkIn(connection, kind, relation.sql());
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
