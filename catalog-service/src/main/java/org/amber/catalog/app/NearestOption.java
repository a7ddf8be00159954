package org.amber.catalog.app;

import java.util.Collection;
import java.util.Optional;

/**
 * The real option a misspelt one most likely meant: the candidate at the smallest edit distance
 * (insertions, deletions, substitutions and swaps of neighbours each count one), if it is close
 * enough that suggesting it helps rather than puzzles. (The pipelines jar has the same class: the
 * two command lines share no module, and picocli's own suggestions, built on shared letter pairs,
 * miss swapped letters such as {@code --prot} for {@code --port}.)
 */
final class NearestOption {
  private NearestOption() {}

  /**
   * @param typed the option as given, without leading dashes ({@code partition-colum})
   * @param candidates the real options in the same form
   */
  static Optional<String> among(String typed, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(typed, candidate);
      // Ties go to the alphabetically first so the answer never depends on iteration order.
      if (d < bestDistance || (d == bestDistance && candidate.compareTo(best) < 0)) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= tolerance(typed) ? Optional.of(best) : Optional.empty();
  }

  /**
   * A third of the name, at least 1 and at most 3: "--prot" may mean "--port", "--x" not "--y2z".
   */
  static int tolerance(String typed) {
    return Math.max(1, Math.min(3, typed.length() / 3));
  }

  /** Damerau-Levenshtein distance in its optimal-string-alignment form. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
