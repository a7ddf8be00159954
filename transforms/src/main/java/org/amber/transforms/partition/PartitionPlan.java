package org.amber.transforms.partition;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.amber.artifacts.build.BuildRecord;
import org.amber.artifacts.manifest.Partitioning;

/**
 * How a result is split into shards, computed inside the build's snapshot so that the same data
 * always gives the same plan. The partitions' predicates are disjoint and together cover every row,
 * NULL partition keys included.
 *
 * @param column the partition column, or null for a single partition
 * @param partitions one per shard, shard {@code i} at position {@code i}
 * @param orderBy the {@code ORDER BY} list every shard is written in: the partition key, then
 *     whatever makes the order total
 * @param strategy how the boundaries were chosen
 * @param note why the plan is not what the build asked for or could expect (one partition for a
 *     table that could not be split), or null; the build says it and keeps it in its record
 */
public record PartitionPlan(
    String column, List<Partition> partitions, String orderBy, Strategy strategy, String note)
    implements Serializable {

  /** How a plan's boundaries were chosen; named in the build record. */
  public enum Strategy {
    /** Ranges of a numeric, date or timestamp key, from a histogram read in the snapshot. */
    RANGE("range"),
    /** Ranges of a uuid or text key, from quantiles computed in the snapshot. */
    QUANTILES("quantiles"),
    /** Physical ranges of {@code ctid} (TID range scans) of a table with no usable key. */
    CTID("ctid"),
    /** Everything in one partition. */
    SINGLE("single");

    private final String key;

    Strategy(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  public PartitionPlan {
    partitions = List.copyOf(partitions);
    if (strategy == Strategy.SINGLE && partitions.size() != 1) {
      throw new IllegalArgumentException("a single plan has " + partitions.size() + " partitions");
    }
    for (int i = 0; i < partitions.size(); i++) {
      if (partitions.get(i).index() != i) {
        throw new IllegalArgumentException(
            "partition " + i + " has index " + partitions.get(i).index());
      }
    }
  }

  /**
   * Range partitions of {@code column}: the first open below, the last open above, so every
   * non-NULL key falls in one. Rows with a NULL key get a partition of their own when the plan's
   * snapshot has any; otherwise the last range takes them too, so that a reader without a shared
   * snapshot still never drops one.
   *
   * @param ref the column as SQL on alias {@code q}
   * @param boundaries SQL literals, one fewer than the ranges, non-decreasing
   * @param nullPartition whether to add the partition of NULL keys
   */
  public static PartitionPlan ranges(
      String column, String ref, List<String> boundaries, boolean nullPartition, String orderBy) {
    int ranges = boundaries.size() + 1;
    List<Partition> partitions = new ArrayList<>();
    for (int i = 0; i < ranges; i++) {
      List<String> conditions = new ArrayList<>();
      if (i > 0) {
        conditions.add(ref + " >= " + boundaries.get(i - 1));
      }
      if (i < ranges - 1) {
        conditions.add(ref + " < " + boundaries.get(i));
      }
      String predicate =
          conditions.isEmpty() ? ref + " IS NOT NULL" : String.join(" AND ", conditions);
      if (i == ranges - 1 && !nullPartition) {
        predicate = "(" + predicate + " OR " + ref + " IS NULL)";
      }
      partitions.add(new Partition(i, predicate));
    }
    if (nullPartition) {
      partitions.add(new Partition(ranges, ref + " IS NULL"));
    }
    return new PartitionPlan(column, partitions, orderBy, Strategy.RANGE, null);
  }

  /** Everything in one shard. */
  public static PartitionPlan single(String column, String orderBy) {
    return single(column, orderBy, null);
  }

  /**
   * Everything in one shard, for the reason {@code note} says.
   *
   * @param note why a relation that was to be split is read as one partition, or null
   */
  public static PartitionPlan single(String column, String orderBy, String note) {
    return new PartitionPlan(
        column, List.of(new Partition(0, "1 = 1")), orderBy, Strategy.SINGLE, note);
  }

  /**
   * Physical ranges of a table: shard {@code i} holds the rows on pages {@code [pages[i-1],
   * pages[i])}, the first open below and the last open above so that pages added after the plan was
   * made (whose rows the snapshot does not see anyway) are covered too. Rows are written in
   * physical order, which is deterministic for one snapshot.
   *
   * @param pageBoundaries one fewer than the shards, non-decreasing
   */
  public static PartitionPlan ctidRanges(List<Long> pageBoundaries) {
    int ranges = pageBoundaries.size() + 1;
    List<Partition> partitions = new ArrayList<>();
    for (int i = 0; i < ranges; i++) {
      List<String> conditions = new ArrayList<>();
      if (i > 0) {
        conditions.add("q.ctid >= '(" + pageBoundaries.get(i - 1) + ",0)'::tid");
      }
      if (i < ranges - 1) {
        conditions.add("q.ctid < '(" + pageBoundaries.get(i) + ",0)'::tid");
      }
      partitions.add(
          new Partition(i, conditions.isEmpty() ? "1 = 1" : String.join(" AND ", conditions)));
    }
    return new PartitionPlan(null, partitions, "q.ctid", Strategy.CTID, null);
  }

  /** This plan, its boundaries chosen by {@code strategy}. */
  public PartitionPlan by(Strategy strategy) {
    return new PartitionPlan(column, partitions, orderBy, strategy, note);
  }

  public int shards() {
    return partitions.size();
  }

  public Partitioning toPartitioning() {
    return new Partitioning(column, shards());
  }

  /** The strategy, column and note, for the build record. */
  public BuildRecord.Partitioning toBuildRecordPartitioning() {
    return new BuildRecord.Partitioning(strategy.key(), column, shards(), note);
  }

  public List<BuildRecord.Shard> toBuildRecord() {
    return partitions.stream().map(p -> new BuildRecord.Shard(p.index(), p.predicate())).toList();
  }
}
