package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point of a shared snapshot: while an export of 8 partitions runs, other transactions move
 * money between accounts in different partitions. Every partition must see the same instant, so the
 * exported balances always add up to the invariant total — every run.
 */
class ConsistencyUnderLoadTest {
  private static final int ACCOUNTS = 200_000;
  private static final long OPENING_BALANCE = 1_000;

  @TempDir Path out;
  static String url;

  @BeforeAll
  static void accounts() throws Exception {
    url = TestPostgres.freshDatabase("consistency");
    TestPostgres.execute(
        url,
        "CREATE TABLE account (id bigint PRIMARY KEY, balance bigint NOT NULL, owner text NOT NULL)",
        "INSERT INTO account SELECT g, "
            + OPENING_BALANCE
            + ", 'owner-' || g FROM generate_series(1, "
            + ACCOUNTS
            + ") g",
        // The same accounts without a primary key (split by ctid ranges) and keyed by text
        // (split at quantiles); the index only keeps the transfers fast.
        "CREATE TABLE account_keyless AS SELECT * FROM account",
        "CREATE INDEX ON account_keyless (id)",
        "CREATE TABLE account_by_code AS SELECT 'acct-' || md5(id::text) AS code, * FROM account",
        "CREATE INDEX ON account_by_code (id)",
        "ANALYZE");
  }

  @RepeatedTest(3)
  void exportedTotalEqualsInvariantWhileMoneyMoves() throws Exception {
    exportWhileMoneyMoves("account", "range");
  }

  /** Updates write new row versions elsewhere in the table; the snapshot still sees each once. */
  @Test
  void aTableWithoutAKeySplitByPhysicalRangesKeepsTheInvariant() throws Exception {
    exportWhileMoneyMoves("account_keyless", "ctid");
  }

  @Test
  void aTableSplitAtTextQuantilesKeepsTheInvariant() throws Exception {
    exportWhileMoneyMoves("account_by_code", "quantiles", "--partition-column", "code");
  }

  private void exportWhileMoneyMoves(String table, String strategy, String... options)
      throws Exception {
    AtomicBoolean building = new AtomicBoolean(true);
    AtomicLong transfersDuringBuild = new AtomicLong();
    ExecutorService load = Executors.newFixedThreadPool(2);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int seed = w;
      workers.add(load.submit(() -> transfer(table, seed, building, transfersDuringBuild)));
    }
    Amber.Result result;
    try {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--source",
                  url,
                  "--table",
                  table,
                  "--dataset",
                  "accounts",
                  "--partitions",
                  "8",
                  "--output",
                  out.toUri().toString()));
      args.addAll(List.of(options));
      result = Amber.materialise(args.toArray(String[]::new));
    } finally {
      building.set(false);
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    load.shutdown();
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals(ACCOUNTS, result.summary().get("rows").asLong(), "every account exported once");
    assertTrue(transfersDuringBuild.get() > 0, "money moved while the export ran");

    String glob = result.manifestPath().getParent().resolve("parquet") + "/*.parquet";
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT sum(balance), count(*), count(DISTINCT id), count(DISTINCT filename)"
                    + " FROM read_parquet('"
                    + glob
                    + "', filename = true)")) {
      rs.next();
      assertEquals(ACCOUNTS * OPENING_BALANCE, rs.getLong(1), "the invariant total");
      assertEquals(ACCOUNTS, rs.getLong(2));
      assertEquals(ACCOUNTS, rs.getLong(3));
      assertEquals(8, rs.getLong(4), "8 shards");
    }
    assertEquals(
        strategy,
        AnyKeyPartitioningTest.buildRecord(out, "accounts").at("/partitioning/strategy").asText());
  }

  /** Moves money between accounts far apart (so in different partitions) until the build ends. */
  private static Void transfer(String table, int seed, AtomicBoolean building, AtomicLong count)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement move =
            connection.prepareStatement(
                "UPDATE " + table + " SET balance = balance + ? WHERE id = ?")) {
      connection.setAutoCommit(false);
      while (building.get()) {
        long from = 1 + random.nextInt(ACCOUNTS / 2);
        long to = from + ACCOUNTS / 2;
        long amount = 1 + random.nextInt(50);
        // Lock in id order so the two workers never deadlock.
        move.setLong(1, -amount);
        move.setLong(2, from);
        move.executeUpdate();
        move.setLong(1, amount);
        move.setLong(2, to);
        move.executeUpdate();
        connection.commit();
        if (building.get()) {
          count.incrementAndGet();
        }
      }
    }
    return null;
  }
}
