package org.amber.transforms.partition;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses range boundaries among candidate key values so that the ranges hold about equal numbers
 * of rows, from the exact number of rows below each candidate. Used for keys that have no ordinal
 * (uuid, text), whose candidates are quantiles read in the snapshot.
 *
 * <p>The candidates cut the keys into units that cannot be split further (a unit holding more than
 * a share of the rows is, at these resolutions, one value repeated). Such a heavy unit gets a range
 * to itself; every other boundary is the candidate nearest to an equal share of the rows left for
 * the ranges left, counting neither the heavy units ahead nor the ranges they take, so the other
 * ranges share the rest rather than one of them holding it all or some staying empty.
 */
public final class QuantileChooser {
  private QuantileChooser() {}

  /**
   * Returns {@code ranges - 1} non-decreasing indexes into the candidates; {@code -1} means "below
   * every key" (a range before it is empty). An index repeats when the candidates run out: the
   * ranges between are empty.
   *
   * @param below for each candidate, in increasing key order, the rows whose key is below it;
   *     non-decreasing
   * @param rows the rows with a key (not NULL)
   */
  public static List<Integer> choose(long[] below, long rows, int ranges) {
    int m = below.length;
    // unit u: the rows between candidate u-1 (or the lowest key) and candidate u (or past the top)
    long[] units = new long[m + 1];
    for (int u = 0; u <= m; u++) {
      units[u] = (u == m ? rows : below[u]) - (u == 0 ? 0 : below[u - 1]);
    }
    double share = (double) rows / Math.max(1, ranges);
    List<Integer> chosen = new ArrayList<>();
    long assigned = 0;
    int next = 0;
    int last = -1;
    for (int k = 1; k < ranges; k++) {
      int best = -1;
      if (next < m && units[next] > share) {
        best = next; // a range of just the heavy unit
      } else {
        long heavyRows = 0;
        int heavyUnits = 0;
        int firstHeavy = -1;
        for (int u = next + 1; u <= m; u++) {
          if (units[u] > share) {
            heavyRows += units[u];
            heavyUnits++;
            firstHeavy = firstHeavy < 0 ? u : firstHeavy;
          }
        }
        int rangesLeft = ranges - k + 1 - heavyUnits;
        double target =
            assigned + (rangesLeft > 0 ? (double) (rows - assigned - heavyRows) / rangesLeft : 0);
        // Stop before the next heavy unit, so that it starts a range of its own.
        int limit = firstHeavy < 0 ? m - 1 : firstHeavy - 1;
        best = nearest(below, assigned, target, next, limit);
        if (best < 0) {
          best = nearest(below, assigned, target, next, m - 1);
        }
      }
      if (best >= 0) {
        assigned = below[best];
        next = best + 1;
        last = best;
      }
      chosen.add(last);
    }
    return chosen;
  }

  /** The candidate in {@code [from, to]} closing a non-empty range nearest to {@code target}. */
  private static int nearest(long[] below, long assigned, double target, int from, int to) {
    int best = -1;
    for (int j = from; j <= to; j++) {
      if (below[j] <= assigned) {
        continue; // would close an empty range
      }
      if (best < 0 || Math.abs(below[j] - target) < Math.abs(below[best] - target)) {
        best = j;
      }
      if (below[j] >= target) {
        break;
      }
    }
    return best;
  }
}
