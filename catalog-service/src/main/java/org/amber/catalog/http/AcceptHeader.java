package org.amber.catalog.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Proactive content negotiation (RFC 9110 §12.5.1) over an {@code Accept} header. A range that does
 * not parse, or whose {@code q} is not a number from 0 to 1, is ignored rather than refused, as RFC
 * 9110 allows: the answer then is the default representation.
 */
final class AcceptHeader {
  /** One media range: {@code type/subtype} in lower case, and its weight. */
  private record Range(String type, String subtype, double q) {
    /** 2 for an exact match, 1 for {@code type/*}, 0 for {@code *}{@code /*}, -1 for none. */
    int specificity(String mediaType) {
      int slash = mediaType.indexOf('/');
      String t = mediaType.substring(0, slash);
      String s = mediaType.substring(slash + 1);
      if (type.equals(t) && subtype.equals(s)) {
        return 2;
      }
      if (type.equals(t) && subtype.equals("*")) {
        return 1;
      }
      return type.equals("*") && subtype.equals("*") ? 0 : -1;
    }
  }

  private final List<Range> ranges;

  private AcceptHeader(List<Range> ranges) {
    this.ranges = ranges;
  }

  static AcceptHeader parse(String header) {
    List<Range> ranges = new ArrayList<>();
    if (header == null) {
      return new AcceptHeader(ranges);
    }
    for (String part : header.split(",")) {
      String[] pieces = part.split(";");
      if (pieces.length == 0) {
        continue;
      }
      String mediaRange = pieces[0].trim().toLowerCase(Locale.ROOT);
      int slash = mediaRange.indexOf('/');
      if (slash <= 0 || slash == mediaRange.length() - 1) {
        continue;
      }
      Double q = 1.0;
      for (int i = 1; i < pieces.length; i++) {
        String[] param = pieces[i].trim().split("=", 2);
        if (param.length == 2 && param[0].trim().equalsIgnoreCase("q")) {
          q = weight(param[1].trim());
        }
      }
      if (q != null) {
        ranges.add(new Range(mediaRange.substring(0, slash), mediaRange.substring(slash + 1), q));
      }
    }
    return new AcceptHeader(ranges);
  }

  /** RFC 9110's qvalue: 0 to 1 with at most three decimals; null when it is not one. */
  private static Double weight(String text) {
    if (!text.matches("0(\\.\\d{0,3})?|1(\\.0{0,3})?")) {
      return null;
    }
    return Double.parseDouble(text);
  }

  /** Whether the client sent any usable range at all. */
  boolean isEmpty() {
    return ranges.isEmpty();
  }

  /**
   * How much the client wants {@code mediaType}: the weight of the most specific range matching it
   * (0 when none does).
   *
   * @param wildcards whether {@code type/*} and {@code *}{@code /*} count, or only the type named
   */
  double weight(String mediaType, boolean wildcards) {
    int best = -1;
    double q = 0;
    for (Range range : ranges) {
      int specificity = range.specificity(mediaType.toLowerCase(Locale.ROOT));
      if (specificity > best && (wildcards || specificity == 2)) {
        best = specificity;
        q = range.q();
      }
    }
    return q;
  }

  /**
   * The offers the client accepts (weight above 0), most wanted first; among equal weights, in the
   * order offered.
   */
  <T> List<T> rank(List<T> offers, java.util.function.ToDoubleFunction<T> weight) {
    List<T> accepted = new ArrayList<>();
    for (T offer : offers) {
      if (weight.applyAsDouble(offer) > 0) {
        accepted.add(offer);
      }
    }
    accepted.sort(Comparator.comparingDouble(weight).reversed());
    return accepted;
  }
}
