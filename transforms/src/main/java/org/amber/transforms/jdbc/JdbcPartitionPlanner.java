package org.amber.transforms.jdbc;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.amber.transforms.partition.PartitionPlan;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType.Kind;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.source.SourceRelation;

/**
 * A partition plan for a generic JDBC source: equal-width ranges of an integer key between its
 * minimum and maximum, plus a partition of its own for NULL keys. Without a shared snapshot the
 * plan is only as consistent as the source between statements; the build record says {@code
 * "consistency": "none"}.
 */
public final class JdbcPartitionPlanner {
  private final Connection connection;
  private final SourceRelation relation;
  private final SourceSchema schema;
  private final IdentifierQuoting dialect;

  public JdbcPartitionPlanner(
      Connection connection,
      SourceRelation relation,
      SourceSchema schema,
      IdentifierQuoting dialect) {
    this.connection = connection;
    this.relation = relation;
    this.schema = schema;
    this.dialect = dialect;
  }

  public PartitionPlan plan(String requestedColumn, Integer requestedShards, int maxConnections)
      throws SQLException {
    Column key = keyColumn(requestedColumn);
    // Ordering by every column position makes the order total without knowing any unique key.
    String orderBy =
        (key == null ? "" : dialect.column(key.name()) + ", ")
            + IntStream.rangeClosed(1, schema.size())
                .mapToObj(Integer::toString)
                .collect(Collectors.joining(", "));
    int shards = requestedShards != null ? requestedShards : Math.max(1, maxConnections);
    if (shards < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1");
    }
    if (key == null || shards == 1) {
      return PartitionPlan.single(key == null ? null : key.name(), orderBy);
    }
    String ref = dialect.column(key.name());
    long lo;
    long hi;
    long nulls;
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT MIN("
                    + ref
                    + "), MAX("
                    + ref
                    + "), COUNT(*) - COUNT("
                    + ref
                    + ") FROM "
                    + relation.fromClause())) {
      rs.next();
      lo = rs.getLong(1);
      hi = rs.getLong(2);
      nulls = rs.getLong(3);
    }
    int ranges = nulls > 0 ? shards - 1 : shards;
    BigInteger span = BigInteger.valueOf(hi).subtract(BigInteger.valueOf(lo)).add(BigInteger.ONE);
    List<String> boundaries = new ArrayList<>();
    for (int i = 1; i < ranges; i++) {
      boundaries.add(
          BigInteger.valueOf(lo)
              .add(span.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(ranges)))
              .toString());
    }
    return PartitionPlan.ranges(key.name(), ref, boundaries, nulls > 0, orderBy);
  }

  private Column keyColumn(String requested) throws SQLException {
    Column key;
    if (requested != null) {
      key = schema.require(requested, "partition column");
    } else {
      List<String> primaryKey = relation.isTable() ? primaryKey() : List.of();
      key = primaryKey.size() == 1 ? schema.find(primaryKey.get(0)).orElse(null) : null;
    }
    if (key != null) {
      Kind kind = key.type().kind();
      if (kind != Kind.INT16 && kind != Kind.INT32 && kind != Kind.INT64) {
        throw new IllegalArgumentException(
            "partition column '"
                + key.name()
                + "' has type "
                + key.sourceType()
                + "; generic JDBC sources partition by an integer column");
      }
    }
    return key;
  }

  private List<String> primaryKey() throws SQLException {
    String[] parts = relation.table().split("\\.");
    String table = parts[parts.length - 1];
    String schemaName = parts.length > 1 ? parts[0] : null;
    DatabaseMetaData md = connection.getMetaData();
    TreeMap<Short, String> columns = new TreeMap<>();
    try (ResultSet rs = md.getPrimaryKeys(schemaName, schemaName, table)) {
      while (rs.next()) {
        columns.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
      }
    }
    return new ArrayList<>(columns.values());
  }
}
