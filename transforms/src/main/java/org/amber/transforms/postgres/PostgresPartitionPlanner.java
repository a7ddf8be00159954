package org.amber.transforms.postgres;

import static org.amber.transforms.postgres.PostgresSessions.quoteIdentifier;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.amber.transforms.partition.Partition;
import org.amber.transforms.partition.PartitionPlan;
import org.amber.transforms.partition.RangeSplitter;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.source.SourceRelation;

/**
 * Computes a {@link PartitionPlan} for a PostgreSQL relation, inside the build's snapshot so
 * that the same data always gives the same plan.
 *
 * <p>The partition column is the one asked for, else the table's single-column primary key,
 * else there is one partition. Boundaries come from a histogram of the key read in the snapshot
 * (see {@link RangeSplitter}), so skewed keys still give shards of similar size. Rows with a NULL
 * key get a partition of their own. The first and last ranges are open, so ±infinity and NaN keys
 * are read too.
 *
 * <pre>{@code
 * PartitionPlan plan = new PostgresPartitionPlanner(connection, relation, schema)
 *     .plan("id", 8, 8);
 * }</pre>
 */
public final class PostgresPartitionPlanner {
  /** Shards of roughly this size when the count is not given (spec: 64–256 MB). */
  static final long TARGET_SHARD_BYTES = 128L << 20;

  private final Connection connection;
  private final SourceRelation relation;
  private final SourceSchema schema;

  public PostgresPartitionPlanner(Connection connection, SourceRelation relation, SourceSchema schema) {
    this.connection = connection;
    this.relation = relation;
    this.schema = schema;
  }

  /**
   * @param requestedColumn the partition column, or null to use the table's primary key
   * @param requestedShards the number of shards, or null to choose from the estimated size
   * @param maxConnections caps the chosen number of shards
   */
  public PartitionPlan plan(String requestedColumn, Integer requestedShards, int maxConnections)
      throws SQLException {
    List<String> primaryKey = relation.isTable() ? primaryKey() : List.of();
    Column key = keyColumn(requestedColumn, primaryKey);
    String orderBy = orderBy(key, primaryKey);
    int shards = requestedShards != null ? requestedShards : chooseShards(maxConnections);
    if (shards < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1");
    }
    if (key == null || shards == 1) {
      return new PartitionPlan(key == null ? null : key.name(), List.of(new Partition(0, "TRUE")), orderBy);
    }
    KeyDomain domain = KeyDomain.of(key);
    String ref = "q." + quoteIdentifier(key.name());
    String ordinals = "SELECT " + domain.ordinal(ref) + " AS o FROM " + relation.fromClause();
    double lo;
    double hi;
    long rows;
    long nulls;
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT min(o) FILTER (WHERE o > '-Infinity' AND o < 'Infinity'),"
                    + " max(o) FILTER (WHERE o > '-Infinity' AND o < 'Infinity'),"
                    + " count(o), count(*) - count(o) FROM (" + ordinals + ") s")) {
      rs.next();
      lo = rs.getDouble(1);
      hi = rs.getDouble(2);
      rows = rs.getLong(3);
      nulls = rs.getLong(4);
    }
    int ranges = nulls > 0 ? shards - 1 : shards;
    RangeSplitter splitter =
        new RangeSplitter((from, to, buckets) -> histogram(ordinals, from, to, buckets), domain.integral);
    List<Double> boundaries;
    try {
      boundaries = splitter.split(lo, hi, rows, ranges);
    } catch (SQLException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new SQLException("cannot read the partition key's distribution", e);
    }
    List<Partition> partitions = new ArrayList<>();
    for (int i = 0; i < ranges; i++) {
      List<String> conditions = new ArrayList<>();
      if (i > 0) {
        conditions.add(ref + " >= " + domain.literal(boundaries.get(i - 1)));
      }
      if (i < ranges - 1) {
        conditions.add(ref + " < " + domain.literal(boundaries.get(i)));
      }
      String predicate = conditions.isEmpty() ? ref + " IS NOT NULL" : String.join(" AND ", conditions);
      if (i == ranges - 1 && nulls == 0) {
        // No NULL keys in the snapshot; still never drop one (readers without a snapshot).
        predicate = "(" + predicate + " OR " + ref + " IS NULL)";
      }
      partitions.add(new Partition(i, predicate));
    }
    if (nulls > 0) {
      partitions.add(new Partition(ranges, ref + " IS NULL"));
    }
    return new PartitionPlan(key.name(), partitions, orderBy);
  }

  private long[] histogram(String ordinals, double from, double to, int buckets) throws SQLException {
    long[] counts = new long[buckets];
    String sql =
        "SELECT LEAST(GREATEST(floor((o - ?) / ?), 0), ?)::int AS b, count(*) FROM (" + ordinals
            + ") s WHERE o >= ? AND o < ? GROUP BY 1";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setDouble(1, from);
      statement.setDouble(2, (to - from) / buckets);
      statement.setInt(3, buckets - 1);
      statement.setDouble(4, from);
      statement.setDouble(5, to);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          counts[rs.getInt(1)] += rs.getLong(2);
        }
      }
    }
    return counts;
  }

  private Column keyColumn(String requested, List<String> primaryKey) {
    if (requested != null) {
      return schema
          .find(requested)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "unknown partition column '" + requested + "'; the result has columns: "
                          + String.join(", ", schema.names())));
    }
    return primaryKey.size() == 1 ? schema.find(primaryKey.get(0)).orElse(null) : null;
  }

  /** The key, then whatever makes the order total: the rest of the primary key, else the row. */
  private String orderBy(Column key, List<String> primaryKey) {
    List<String> terms = new ArrayList<>();
    if (key != null) {
      terms.add("q." + quoteIdentifier(key.name()));
    }
    boolean keyIsUnique = key != null && primaryKey.equals(List.of(key.name()));
    if (!keyIsUnique) {
      if (!primaryKey.isEmpty() && primaryKey.stream().allMatch(c -> schema.find(c).isPresent())) {
        primaryKey.stream()
            .filter(c -> key == null || !c.equals(key.name()))
            .forEach(c -> terms.add("q." + quoteIdentifier(c)));
      } else {
        terms.add("q::text COLLATE \"C\"");
      }
    }
    return String.join(", ", terms);
  }

  private List<String> primaryKey() throws SQLException {
    String sql =
        "SELECT a.attname FROM pg_index i"
            + " JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true"
            + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
            + " WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY k.n";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, relation.table());
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
      return columns;
    }
  }

  private int chooseShards(int maxConnections) throws SQLException {
    long bytes = estimatedBytes();
    long shards = Math.max(1, (bytes + TARGET_SHARD_BYTES - 1) / TARGET_SHARD_BYTES);
    return (int) Math.min(shards, Math.max(1, maxConnections));
  }

  private long estimatedBytes() throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("EXPLAIN (FORMAT JSON) SELECT * FROM " + relation.fromClause())) {
      rs.next();
      String plan = rs.getString(1);
      double planRows = number(plan, "\"Plan Rows\":");
      double width = number(plan, "\"Plan Width\":");
      return (long) (planRows * width);
    }
  }

  private static double number(String json, String key) {
    int at = json.indexOf(key);
    if (at < 0) {
      return 0;
    }
    int start = at + key.length();
    int end = start;
    while (end < json.length() && " 0123456789.e+-".indexOf(json.charAt(end)) >= 0) {
      end++;
    }
    return Double.parseDouble(json.substring(start, end).trim());
  }

  /** How a key type maps to ordinals (doubles) and back to SQL literals. */
  private enum KeyDomain {
    INTEGER(true),
    DECIMAL(false),
    DATE(true),
    TIMESTAMP(true),
    TIMESTAMPTZ(true);

    final boolean integral;

    KeyDomain(boolean integral) {
      this.integral = integral;
    }

    static KeyDomain of(Column key) {
      switch (key.type().kind()) {
        case INT16:
        case INT32:
        case INT64:
          return INTEGER;
        case DECIMAL:
          return DECIMAL;
        case DATE:
          return DATE;
        case TIMESTAMP:
          return TIMESTAMP;
        case TIMESTAMPTZ:
          return TIMESTAMPTZ;
        default:
          throw new IllegalArgumentException(
              "partition column '" + key.name() + "' has type " + key.sourceType()
                  + "; partition by an integer, numeric, date or timestamp column");
      }
    }

    String ordinal(String ref) {
      switch (this) {
        case DATE:
          return "(extract(epoch FROM " + ref + ")::float8 / 86400)";
        case TIMESTAMP:
        case TIMESTAMPTZ:
          return "(extract(epoch FROM " + ref + ")::float8 * 1000000)";
        default:
          return ref + "::float8";
      }
    }

    String literal(double ordinal) {
      switch (this) {
        case INTEGER:
          return BigDecimal.valueOf(ordinal).setScale(0, java.math.RoundingMode.CEILING).toPlainString();
        case DECIMAL:
          return BigDecimal.valueOf(ordinal).toPlainString();
        case DATE:
          return "DATE '" + LocalDate.ofEpochDay((long) Math.ceil(ordinal)) + "'";
        default:
          long micros = (long) Math.ceil(ordinal);
          Instant instant = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
          String text =
              DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC).format(instant);
          return this == TIMESTAMP ? "TIMESTAMP '" + text + "'" : "TIMESTAMPTZ '" + text + "+00'";
      }
    }
  }
}
