package org.amber.transforms.postgres;

import static org.amber.transforms.postgres.PostgresSessions.quoteIdentifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.transforms.partition.PartitionPlan;
import org.amber.transforms.partition.RangeSplitter;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.source.SourceRelation;

/**
 * Computes a {@link PartitionPlan} for a PostgreSQL relation, inside the build's snapshot so that
 * the same data always gives the same plan.
 *
 * <p>The partition column is the one asked for, else the table's single-column primary key, else
 * there is one partition. Boundaries come from a histogram of the key read in the snapshot (see
 * {@link RangeSplitter}), so skewed keys still give shards of similar size. Rows with a NULL key
 * get a partition of their own. The first and last ranges are open, so ±infinity and NaN keys are
 * read too.
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

  public PostgresPartitionPlanner(
      Connection connection, SourceRelation relation, SourceSchema schema) {
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
      return PartitionPlan.single(key == null ? null : key.name(), orderBy);
    }
    KeyDomain domain = KeyDomain.of(key);
    String ref = "q." + quoteIdentifier(key.name());
    String ordinals = "SELECT " + domain.ordinal(ref) + " AS o FROM " + relation.fromClause();
    double[] bounds = finiteBounds(domain, ref, ordinals);
    double lo = bounds[0];
    double top = domain.integral ? bounds[1] + 1 : Math.nextUp(bounds[1]);
    long[] counts = new long[RangeSplitter.BUCKETS];
    long nulls = histogram(ordinals, lo, top, counts);
    int ranges = nulls > 0 ? shards - 1 : shards;
    RangeSplitter splitter =
        new RangeSplitter(
            (from, to, buckets) -> {
              long[] finer = new long[buckets];
              histogram(ordinals, from, to, finer);
              return finer;
            },
            domain.integral);
    List<Double> boundaries;
    try {
      boundaries = splitter.split(lo, top, counts, ranges);
    } catch (SQLException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new SQLException("cannot read the partition key's distribution", e);
    }
    return PartitionPlan.ranges(
        key.name(), ref, boundaries.stream().map(domain::literal).toList(), nulls > 0, orderBy);
  }

  /**
   * The lowest and highest finite ordinals ({0, 0} when there are none). The key's own min and max
   * come from its index when it has one; only infinite or NaN keys need a scan.
   */
  private double[] finiteBounds(KeyDomain domain, String ref, String ordinals) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT "
                  + domain.ordinal("s.lo")
                  + ", "
                  + domain.ordinal("s.hi")
                  + " FROM (SELECT min("
                  + ref
                  + ") AS lo, max("
                  + ref
                  + ") AS hi FROM "
                  + relation.fromClause()
                  + ") s")) {
        rs.next();
        double lo = rs.getDouble(1);
        double hi = rs.getDouble(2);
        if (rs.wasNull()) {
          return new double[] {0, 0};
        }
        if (Double.isFinite(lo) && Double.isFinite(hi)) {
          return new double[] {lo, hi};
        }
      }
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT min(o), max(o) FROM ("
                  + ordinals
                  + ") s WHERE o > '-Infinity' AND o < 'Infinity'")) {
        rs.next();
        double lo = rs.getDouble(1);
        return rs.wasNull() ? new double[] {0, 0} : new double[] {lo, rs.getDouble(2)};
      }
    }
  }

  /**
   * Counts the keys of {@code [from, to)} into {@code counts.length} equal-width buckets in one
   * scan, and returns the number of NULL keys (counted in the same scan).
   */
  private long histogram(String ordinals, double from, double to, long[] counts)
      throws SQLException {
    String sql =
        "SELECT CASE WHEN o IS NULL THEN -1 ELSE LEAST(GREATEST(floor((o - ?) / ?), 0), ?)::int END AS b, count(*)"
            + " FROM ("
            + ordinals
            + ") s WHERE o IS NULL OR (o >= ? AND o < ?) GROUP BY 1";
    long nulls = 0;
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setDouble(1, from);
      statement.setDouble(2, (to - from) / counts.length);
      statement.setInt(3, counts.length - 1);
      statement.setDouble(4, from);
      statement.setDouble(5, to);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          if (rs.getInt(1) < 0) {
            nulls = rs.getLong(2);
          } else {
            counts[rs.getInt(1)] += rs.getLong(2);
          }
        }
      }
    }
    return nulls;
  }

  private Column keyColumn(String requested, List<String> primaryKey) {
    if (requested != null) {
      return schema.require(requested, "partition column");
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

  /** The planner's own estimate: rows × average width of the top plan node. */
  private long estimatedBytes() throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "EXPLAIN (FORMAT JSON) SELECT * FROM " + relation.fromClause())) {
      rs.next();
      JsonNode plan = ManifestJson.CANONICAL.readTree(rs.getString(1)).path(0).path("Plan");
      return (long) (plan.path("Plan Rows").asDouble() * plan.path("Plan Width").asDouble());
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot read the server's size estimate", e);
    }
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
              "partition column '"
                  + key.name()
                  + "' has type "
                  + key.sourceType()
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
          return BigDecimal.valueOf(ordinal)
              .setScale(0, java.math.RoundingMode.CEILING)
              .toPlainString();
        case DECIMAL:
          return BigDecimal.valueOf(ordinal).toPlainString();
        case DATE:
          return "DATE '" + LocalDate.ofEpochDay((long) Math.ceil(ordinal)) + "'";
        default:
          long micros = (long) Math.ceil(ordinal);
          Instant instant = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
          String text =
              DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS")
                  .withZone(ZoneOffset.UTC)
                  .format(instant);
          return this == TIMESTAMP ? "TIMESTAMP '" + text + "'" : "TIMESTAMPTZ '" + text + "+00'";
      }
    }
  }
}
