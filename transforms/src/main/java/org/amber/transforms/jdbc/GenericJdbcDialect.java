package org.amber.transforms.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
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
 * Any JDBC database but PostgreSQL: no snapshot shared between sessions, so only {@code --snapshot
 * none}, each partition read in a transaction of its own; the build record says {@code
 * "consistency": "none"}.
 */
public final class GenericJdbcDialect implements SourceDialect {
  private final JdbcSource source;

  public GenericJdbcDialect(JdbcSource source) {
    this.source = source;
  }

  @Override
  public SnapshotStrategy strategy(SnapshotStrategy requested) {
    if (requested != null && requested != SnapshotStrategy.NONE) {
      throw new IllegalArgumentException(
          "--snapshot "
              + requested.key()
              + " needs PostgreSQL; other JDBC sources are read with --snapshot none");
    }
    return SnapshotStrategy.NONE;
  }

  @Override
  public BuildSnapshot open(SnapshotStrategy strategy, String snapshotId, Duration maxHold) {
    strategy(strategy);
    return new NoSnapshot();
  }

  /** Nothing is held: every session sees the source as it is when it starts. */
  private final class NoSnapshot implements BuildSnapshot {
    @Override
    public PreparedSource prepare(ReadRequest request) throws SQLException {
      try (Connection connection = source.connect()) {
        connection.setReadOnly(true);
        IdentifierQuoting quoting = IdentifierQuoting.of(connection);
        SourceRelation relation =
            request.table() != null
                ? SourceRelation.table(request.table())
                : checkedQuery(connection, request.query());
        SourceSchema schema =
            JdbcSchemaReader.read(connection, relation, quoting, relation.isTable());
        PartitionPlan plan =
            new JdbcPartitionPlanner(connection, relation, schema, quoting)
                .plan(request.partitionColumn(), request.partitions(), request.maxConnections());
        String product = connection.getMetaData().getDatabaseProductName();
        String version = connection.getMetaData().getDatabaseProductVersion();
        connection.rollback();
        return new PreparedSource(
            relation,
            schema,
            plan,
            new JdbcPartitionReader(source, relation, schema, plan),
            new BuildRecord.Source(product.toLowerCase(Locale.ROOT), version, source.redactedUrl()),
            new BuildRecord.Snapshot(
                SnapshotStrategy.NONE.key(),
                SnapshotStrategy.NONE.consistency(),
                null,
                null,
                null));
      }
    }

    @Override
    public boolean expired() {
      return false;
    }

    @Override
    public void close() {}
  }

  /** The query, once the source's own parser has read it as one subquery (see QueryCheck). */
  private static SourceRelation checkedQuery(Connection connection, String query)
      throws SQLException {
    SourceRelation relation = SourceRelation.query(query);
    QueryCheck.checkIn(connection, JdbcSource.Kind.GENERIC, relation.sql());
    return relation;
  }
}
