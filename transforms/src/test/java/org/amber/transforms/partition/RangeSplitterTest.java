package org.amber.transforms.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RangeSplitterTest {
  /** A histogram over an in-memory list of keys, counted the way the SQL does it. */
  private static RangeSplitter.Histogram over(long[] keys, List<Integer> calls) {
    return (lo, hi, buckets) -> {
      calls.add(buckets);
      long[] counts = new long[buckets];
      double width = (hi - lo) / buckets;
      for (long key : keys) {
        if (key >= lo && key < hi) {
          counts[(int) Math.min(buckets - 1, Math.max(0, Math.floor((key - lo) / width)))]++;
        }
      }
      return counts;
    };
  }

  private static long[] shardSizes(long[] keys, List<Double> boundaries) {
    long[] sizes = new long[boundaries.size() + 1];
    for (long key : keys) {
      int shard = 0;
      while (shard < boundaries.size() && key >= boundaries.get(shard)) {
        shard++;
      }
      sizes[shard]++;
    }
    return sizes;
  }

  @Test
  void skewedKeysAreSplitAtQuantilesNotEqualWidths() throws Exception {
    long[] keys =
        LongStream.concat(
                LongStream.rangeClosed(1, 9_000),
                LongStream.rangeClosed(1, 1_000).map(i -> 1_000_000L * i))
            .toArray();
    List<Integer> calls = new ArrayList<>();
    RangeSplitter.Histogram histogram = over(keys, calls);
    List<Double> boundaries =
        new RangeSplitter(histogram, true)
            .split(1, 1_000_000_001, histogram.count(1, 1_000_000_001, RangeSplitter.BUCKETS), 4);
    assertEquals(3, boundaries.size());
    for (long size : shardSizes(keys, boundaries)) {
      assertTrue(
          size >= 2_000 && size <= 3_000, "shard of " + size + " rows; boundaries " + boundaries);
    }
    assertTrue(calls.size() > 1, "the dense bucket was refined (" + calls.size() + " histograms)");
  }

  @Test
  void oneHeavyValueLeavesEmptyRangesRatherThanSplittingIt() throws Exception {
    long[] keys =
        LongStream.concat(LongStream.generate(() -> 7).limit(1_000), LongStream.of(1, 100))
            .toArray();
    RangeSplitter.Histogram histogram = over(keys, new ArrayList<>());
    List<Double> boundaries =
        new RangeSplitter(histogram, true)
            .split(1, 101, histogram.count(1, 101, RangeSplitter.BUCKETS), 4);
    long[] sizes = shardSizes(keys, boundaries);
    assertEquals(keys.length, LongStream.of(sizes).sum());
    assertTrue(LongStream.of(sizes).anyMatch(s -> s >= 1_000), "all the 7s stay together");
  }

  @Test
  void noRowsOrOneValueStillGiveTheAskedNumberOfRanges() throws Exception {
    RangeSplitter splitter = new RangeSplitter((lo, hi, b) -> new long[b], false);
    assertEquals(3, splitter.split(0, 1, new long[RangeSplitter.BUCKETS], 4).size());
    assertEquals(0, splitter.split(0, 10, new long[RangeSplitter.BUCKETS], 1).size());
  }
}
