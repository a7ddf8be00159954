package org.amber.transforms.jdbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.amber.transforms.partition.Partition;
import org.amber.transforms.partition.PartitionPlan;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.source.JdbcSource;
import org.amber.transforms.source.LiveQueries;
import org.amber.transforms.source.PartitionReader;
import org.amber.transforms.source.RowCursor;
import org.amber.transforms.source.SourceRelation;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * Reads a partition of a generic JDBC source in a READ ONLY transaction of its own (there is no
 * shared snapshot), with connections from JdbcIO's pooled {@link JdbcIO.DataSourceConfiguration} so
 * that a worker reuses them across partitions.
 */
public final class JdbcPartitionReader implements PartitionReader {
  private static final long serialVersionUID = 1L;
  private static final int FETCH_SIZE = 10_000;

  private final JdbcSource source;
  private final SourceRelation relation;
  private final SourceSchema schema;
  private final PartitionPlan plan;

  /**
   * @param source the source, whose build's sessions {@link LiveQueries} cancels together
   */
  public JdbcPartitionReader(
      JdbcSource source, SourceRelation relation, SourceSchema schema, PartitionPlan plan) {
    this.source = source;
    this.relation = relation;
    this.schema = schema;
    this.plan = plan;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    builder.add(DisplayData.item("source", source.redactedUrl()).withLabel("Source"));
  }

  @Override
  public RowCursor read(Partition partition) throws Exception {
    // Made here, on the worker, so that the resolved password is in nothing serialized; JdbcIO
    // pools by equal configuration, so partitions on one worker still share a pool.
    DataSource dataSource =
        JdbcIO.PoolableDataSourceProvider.of(source.dataSourceConfiguration()).apply(null);
    Connection connection = dataSource.getConnection();
    try {
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      Statement statement =
          connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      LiveQueries.register(source.buildId(), connection, statement::cancel);
      statement.setFetchSize(FETCH_SIZE);
      statement.setQueryTimeout((int) Math.max(0, (source.statementTimeoutMillis() + 999) / 1000));
      ResultSet rs =
          statement.executeQuery(
              "SELECT "
                  + schema.selectList()
                  + " FROM "
                  + relation.fromClause()
                  + " WHERE "
                  + partition.predicate()
                  + " ORDER BY "
                  + plan.orderBy());
      return new ResultSetCursor(connection, rs, schema);
    } catch (SQLException | RuntimeException e) {
      LiveQueries.unregister(connection);
      connection.close();
      throw e;
    }
  }

  /** Canonical values from a result set (see {@link ColumnType}). */
  private static final class ResultSetCursor implements RowCursor {
    private final Connection connection;
    private final ResultSet rs;
    private final ColumnType[] types;
    private final Object[] row;

    ResultSetCursor(Connection connection, ResultSet rs, SourceSchema schema) {
      this.connection = connection;
      this.rs = rs;
      this.types = schema.columns().stream().map(c -> c.type()).toArray(ColumnType[]::new);
      this.row = new Object[types.length];
    }

    @Override
    public boolean next() throws SQLException {
      if (!rs.next()) {
        return false;
      }
      for (int i = 0; i < types.length; i++) {
        Object value = value(i + 1, types[i]);
        row[i] = rs.wasNull() ? null : value;
      }
      return true;
    }

    private Object value(int column, ColumnType type) throws SQLException {
      switch (type.kind()) {
        case BOOL:
          return rs.getBoolean(column);
        case INT16:
        case INT32:
          return rs.getInt(column);
        case INT64:
          return rs.getLong(column);
        case FLOAT32:
          return rs.getFloat(column);
        case FLOAT64:
          return rs.getDouble(column);
        case DECIMAL:
          BigDecimal decimal = rs.getBigDecimal(column);
          return decimal == null || !type.isBoundedDecimal()
              ? decimal
              : decimal.setScale(type.scale());
        case BINARY:
          return rs.getBytes(column);
        case DATE:
          LocalDate date = rs.getObject(column, LocalDate.class);
          return date == null ? null : (int) date.toEpochDay();
        case TIME:
          LocalTime time = rs.getObject(column, LocalTime.class);
          return time == null ? null : time.toNanoOfDay() / 1000;
        case TIMESTAMP:
          LocalDateTime local = rs.getObject(column, LocalDateTime.class);
          return local == null
              ? null
              : ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), local);
        case TIMESTAMPTZ:
          OffsetDateTime instant = rs.getObject(column, OffsetDateTime.class);
          return instant == null
              ? null
              : ChronoUnit.MICROS.between(
                  OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), instant);
        default:
          String text = rs.getString(column);
          return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
      }
    }

    @Override
    public Object[] row() {
      return row;
    }

    @Override
    public void close() throws SQLException {
      try (connection) {
        rs.close();
        connection.rollback();
      } finally {
        LiveQueries.unregister(connection);
      }
    }
  }
}
