package org.amber.transforms.partition;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses range boundaries so that each range holds about the same number of rows, from a histogram
 * of the partition key. Works on ordinals (the key mapped to a double: the integer, days or
 * microseconds since the epoch) so one algorithm serves every key type.
 *
 * <p>Equal-width ranges over skewed keys leave one worker with all the work; this picks boundaries
 * at the histogram's quantiles instead, and asks for a finer histogram of any bucket that alone
 * holds more than a share of the rows.
 */
public final class RangeSplitter {

  /** Counts rows per bucket of {@code [lo, hi)}: {@code buckets} equal-width buckets. */
  @FunctionalInterface
  public interface Histogram {
    long[] count(double lo, double hi, int buckets) throws Exception;
  }

  /** A bucket of the merged histogram: rows with ordinal in {@code [lo, hi)}. */
  record Bucket(double lo, double hi, long rows) {}

  public static final int BUCKETS = 256;
  static final int MAX_REFINEMENTS = 24;

  private final Histogram histogram;
  private final boolean integral;

  /**
   * @param integral true when ordinals are integers (integers, days, microseconds): boundaries are
   *     then rounded to integers and buckets narrower than 1 are not refined
   */
  public RangeSplitter(Histogram histogram, boolean integral) {
    this.histogram = histogram;
    this.integral = integral;
  }

  /**
   * Returns {@code ranges - 1} non-decreasing boundaries splitting {@code [lo, top)} into {@code
   * ranges} ranges of about equal row counts. Repeated boundaries make empty ranges, which is right
   * when one key value holds more rows than a share.
   *
   * @param counts the rows in each of {@code counts.length} equal-width buckets of {@code [lo,
   *     top)}: the first histogram, which the caller reads together with whatever else it needs
   */
  public List<Double> split(double lo, double top, long[] counts, int ranges) throws Exception {
    List<Double> boundaries = new ArrayList<>();
    long rows = 0;
    for (long count : counts) {
      rows += count;
    }
    if (ranges <= 1) {
      return boundaries;
    }
    List<Bucket> buckets = buckets(lo, top, counts);
    long share = Math.max(1, rows / ranges);
    for (int round = 0; round < MAX_REFINEMENTS; round++) {
      int widest = -1;
      for (int i = 0; i < buckets.size(); i++) {
        Bucket b = buckets.get(i);
        if (b.rows() > share
            && refinable(b)
            && (widest < 0 || b.rows() > buckets.get(widest).rows())) {
          widest = i;
        }
      }
      if (widest < 0) {
        break;
      }
      Bucket coarse = buckets.remove(widest);
      buckets.addAll(
          widest,
          buckets(coarse.lo(), coarse.hi(), histogram.count(coarse.lo(), coarse.hi(), BUCKETS)));
    }
    long seen = 0;
    int next = 1;
    for (Bucket b : buckets) {
      seen += b.rows();
      while (next < ranges && rows > 0 && seen >= (rows * next) / ranges) {
        boundaries.add(round(b.hi()));
        next++;
      }
    }
    while (boundaries.size() < ranges - 1) {
      boundaries.add(round(top));
    }
    return boundaries;
  }

  private boolean refinable(Bucket b) {
    return integral
        ? Math.floor(b.hi()) - Math.ceil(b.lo()) > 1
        : b.hi() - b.lo() > Math.ulp(b.lo()) * 16;
  }

  private static List<Bucket> buckets(double lo, double hi, long[] counts) {
    List<Bucket> buckets = new ArrayList<>(counts.length);
    double width = (hi - lo) / counts.length;
    for (int i = 0; i < counts.length; i++) {
      double bucketLo = i == 0 ? lo : lo + width * i;
      double bucketHi = i == counts.length - 1 ? hi : lo + width * (i + 1);
      buckets.add(new Bucket(bucketLo, bucketHi, counts[i]));
    }
    return buckets;
  }

  private double round(double boundary) {
    return integral ? Math.ceil(boundary) : boundary;
  }
}
