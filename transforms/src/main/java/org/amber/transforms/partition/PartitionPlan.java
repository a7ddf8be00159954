package org.amber.transforms.partition;

import java.io.Serializable;
import java.util.List;
import org.amber.artifacts.build.BuildRecord;
import org.amber.artifacts.manifest.Partitioning;

/**
 * How a result is split into shards, computed inside the build's snapshot so that the same data
 * always gives the same plan. The partitions' predicates are disjoint and together cover every
 * row, NULL partition keys included.
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
        throw new IllegalArgumentException("partition " + i + " has index " + partitions.get(i).index());
      }
    }
  }

  /** Everything in one shard. */
  public static PartitionPlan single(String orderBy) {
    return new PartitionPlan(null, List.of(new Partition(0, "TRUE")), orderBy);
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
