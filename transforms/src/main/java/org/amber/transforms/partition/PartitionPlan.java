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
 */
public record PartitionPlan(String column, List<Partition> partitions, String orderBy)
    implements Serializable {

  public PartitionPlan {
    partitions = List.copyOf(partitions);
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
    return new PartitionPlan(column, partitions, orderBy);
  }

  /** Everything in one shard. */
  public static PartitionPlan single(String column, String orderBy) {
    return new PartitionPlan(column, List.of(new Partition(0, "1 = 1")), orderBy);
  }

  public int shards() {
    return partitions.size();
  }

  public Partitioning toPartitioning() {
    return new Partitioning(column, shards());
  }

  public List<BuildRecord.Shard> toBuildRecord() {
    return partitions.stream().map(p -> new BuildRecord.Shard(p.index(), p.predicate())).toList();
  }
}
