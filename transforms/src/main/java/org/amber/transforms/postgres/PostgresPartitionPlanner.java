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
import org.amber.transforms.partition.QuantileChooser;
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
    if (shards == 1) {
      return PartitionPlan.single(key == null ? null : key.name(), orderBy);
    }
    if (key == null) {
      return keyless(shards, orderBy);
    }
    TextKey textKey = TextKey.of(key);
    if (textKey != null) {
      return quantiles(key, textKey, shards, orderBy);
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
   * A relation with no partition column: a table on PostgreSQL 14 or newer is split by physical
   * ranges of {@code ctid}, anything else is one partition, and the plan says why.
   */
  private PartitionPlan keyless(int shards, String orderBy) throws SQLException {
    if (!relation.isTable()) {
      return PartitionPlan.single(
          null,
          orderBy,
          "a query is read as one partition unless --partition-column names a column of its"
              + " result");
    }
    String kind;
    long pages;
    int serverVersion;
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT c.relkind::text, pg_relation_size(c.oid) / current_setting('block_size')::bigint,"
                + " current_setting('server_version_num')::int"
                + " FROM pg_class c WHERE c.oid = ?::regclass")) {
      statement.setString(1, relation.table());
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        kind = rs.getString(1);
        pages = rs.getLong(2);
        serverVersion = rs.getInt(3);
      }
    }
    String why = keylessDecision(serverVersion, kind);
    if (why != null) {
      return PartitionPlan.single(
          null,
          orderBy,
          relation.table()
              + " has no single-column primary key and no --partition-column was given, and "
              + why
              + ": it is read as one partition");
    }
    return PartitionPlan.ctidRanges(pageBoundaries(pages, shards));
  }

  /**
   * Why a keyless relation cannot be split by ctid ranges, or null when it can: TID range scans
   * came with PostgreSQL 14 (before, each range would scan the whole table), and only tables and
   * materialized views have pages of their own to split.
   *
   * @param serverVersionNum {@code server_version_num}, e.g. 130004
   * @param relkind {@code pg_class.relkind}
   */
  static String keylessDecision(int serverVersionNum, String relkind) {
    if (serverVersionNum < 140000) {
      return "PostgreSQL "
          + serverVersionNum / 10000
          + " cannot scan ranges of ctid (PostgreSQL 14 or newer can)";
    }
    if (!"r".equals(relkind) && !"m".equals(relkind)) {
      return "it is not a plain table (relkind '" + relkind + "') whose pages can be split";
    }
    return null;
  }

  /** {@code shards - 1} page numbers cutting {@code [0, pages)} into ranges of equal size. */
  static List<Long> pageBoundaries(long pages, int shards) {
    List<Long> boundaries = new ArrayList<>();
    for (int i = 1; i < shards; i++) {
      boundaries.add(pages * i / shards);
    }
    return boundaries;
  }

  /**
   * Ranges of a uuid or text key with boundaries at its quantiles, computed in the snapshot: first
   * many candidate boundaries ({@code percentile_disc} at fine steps), then the exact number of
   * rows below each ({@code width_bucket}), then the candidates whose counts come nearest to equal
   * shares. Text is compared by {@code COLLATE "C"} (byte order) in the quantiles, the counts, the
   * predicates and the order of rows, so the plan is the same whatever the server's or column's
   * collation. A single value holding more than a share of the rows stays in one shard (a range
   * cannot split one value); the shards around it share the other rows.
   */
  private PartitionPlan quantiles(Column key, TextKey type, int shards, String orderBy)
      throws SQLException {
    String ref = "q." + quoteIdentifier(key.name()) + type.collate;
    int steps = Math.min(QUANTILE_STEPS_PER_SHARD * shards, MAX_QUANTILE_STEPS);
    Double[] fractions = new Double[steps - 1];
    for (int i = 1; i < steps; i++) {
      fractions[i - 1] = (double) i / steps;
    }
    List<String> candidates = new ArrayList<>();
    long nulls;
    long rows;
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT (percentile_disc(?::float8[]) WITHIN GROUP (ORDER BY "
                + ref
                + "))::text[], count(*) FILTER (WHERE "
                + ref
                + " IS NULL), count("
                + ref
                + ") FROM "
                + relation.fromClause())) {
      statement.setArray(1, connection.createArrayOf("float8", fractions));
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        java.sql.Array values = rs.getArray(1);
        if (values != null) {
          for (Object value : (Object[]) values.getArray()) {
            // Sorted already; equal neighbours (a value holding several steps) are one candidate.
            if (candidates.isEmpty() || !candidates.get(candidates.size() - 1).equals(value)) {
              candidates.add((String) value);
            }
          }
        }
        nulls = rs.getLong(2);
        rows = rs.getLong(3);
      }
    }
    long[] below = new long[candidates.size()];
    if (!candidates.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT width_bucket("
                  + ref
                  + ", ?::"
                  + type.sqlType
                  + "[]), count(*) FROM "
                  + relation.fromClause()
                  + " WHERE "
                  + ref
                  + " IS NOT NULL GROUP BY 1")) {
        statement.setArray(1, connection.createArrayOf("text", candidates.toArray()));
        // Bucket b counts the keys with exactly b candidates <= key.
        long[] buckets = new long[candidates.size() + 1];
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            buckets[rs.getInt(1)] = rs.getLong(2);
          }
        }
        long running = 0;
        for (int i = 0; i < candidates.size(); i++) {
          running += buckets[i];
          below[i] = running;
        }
      }
    }
    int ranges = nulls > 0 ? shards - 1 : shards;
    List<String> boundaries =
        QuantileChooser.choose(below, rows, ranges).stream()
            .map(i -> i < 0 ? type.lowest : type.literal(candidates.get(i)))
            .toList();
    return PartitionPlan.ranges(key.name(), ref, boundaries, nulls > 0, orderBy)
        .by(PartitionPlan.Strategy.QUANTILES);
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
      terms.add(sortTerm(key));
    }
    boolean keyIsUnique = key != null && primaryKey.equals(List.of(key.name()));
    if (!keyIsUnique) {
      if (!primaryKey.isEmpty() && primaryKey.stream().allMatch(c -> schema.find(c).isPresent())) {
        primaryKey.stream()
            .filter(c -> key == null || !c.equals(key.name()))
            .forEach(c -> terms.add(sortTerm(schema.find(c).orElseThrow())));
      } else {
        terms.add("q::text COLLATE \"C\"");
      }
    }
    return String.join(", ", terms);
  }

  /** A column in the order of rows: text by {@code COLLATE "C"}, like the partitions' ranges. */
  private static String sortTerm(Column column) {
    TextKey text = TextKey.of(column);
    return "q." + quoteIdentifier(column.name()) + (text == null ? "" : text.collate);
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

  /** Candidate boundaries per shard: shares are met to about 1/16 of a share. */
  static final int QUANTILE_STEPS_PER_SHARD = 16;

  static final int MAX_QUANTILE_STEPS = 16_384;

  /** A key split by its quantiles rather than by ordinals: uuid, or text compared byte-wise. */
  private enum TextKey {
    TEXT(" COLLATE \"C\"", "text", "E''"),
    UUID("", "uuid", "'00000000-0000-0000-0000-000000000000'::uuid");

    final String collate;
    final String sqlType;

    /** A boundary no key is below: the start of a range that holds every key. */
    final String lowest;

    TextKey(String collate, String sqlType, String lowest) {
      this.collate = collate;
      this.sqlType = sqlType;
      this.lowest = lowest;
    }

    /** TEXT for the character types, UUID for uuid, else null. */
    static TextKey of(Column column) {
      switch (column.sourceType()) {
        case "text":
        case "varchar":
        case "bpchar":
        case "name":
          return TEXT;
        case "uuid":
          return UUID;
        default:
          return null;
      }
    }

    /** The value as a SQL literal: an escape string, so any backslash or quote stays data. */
    String literal(String value) {
      if (this == UUID) {
        return "'" + value + "'::uuid";
      }
      return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
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
                  + "; partition by an integer, numeric, date, timestamp, uuid or text column");
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
