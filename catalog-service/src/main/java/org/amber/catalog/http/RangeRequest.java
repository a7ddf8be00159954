package org.amber.catalog.http;

import java.util.Locale;

/**
 * What a {@code Range} header asks of a representation of a known length (RFC 9110 §14.1–14.2).
 * Only a single byte range is honoured: {@code bytes=a-b}, {@code bytes=a-} and the suffix {@code
 * bytes=-n}. A header this server does not serve as asked (another unit, bad syntax, several
 * ranges) is ignored, as the RFC allows, and the whole representation is sent: every client can use
 * a 200, while multipart/byteranges is rarely understood and never needed by the readers of these
 * files.
 */
sealed interface RangeRequest {
  /** Send the whole representation (200). */
  record Whole() implements RangeRequest {}

  /** Send bytes {@code first..last} inclusive (206). */
  record Part(long first, long last) implements RangeRequest {
    long length() {
      return last - first + 1;
    }
  }

  /** No byte of the representation is in the range (416). */
  record Unsatisfiable() implements RangeRequest {}

  static RangeRequest parse(String header, long length) {
    if (header == null) {
      return new Whole();
    }
    String h = header.trim();
    int eq = h.indexOf('=');
    if (eq < 0 || !h.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
      return new Whole();
    }
    String spec = h.substring(eq + 1).trim();
    if (spec.indexOf(',') >= 0) {
      return new Whole();
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return new Whole();
    }
    String firstText = spec.substring(0, dash).trim();
    String lastText = spec.substring(dash + 1).trim();
    if (firstText.isEmpty()) {
      long suffix = digits(lastText);
      if (suffix < 0) {
        return new Whole();
      }
      if (suffix == 0 || length == 0) {
        return new Unsatisfiable();
      }
      return new Part(Math.max(0, length - suffix), length - 1);
    }
    long first = digits(firstText);
    long last = lastText.isEmpty() ? Long.MAX_VALUE : digits(lastText);
    if (first < 0 || last < 0 || last < first) {
      return new Whole();
    }
    if (first >= length) {
      return new Unsatisfiable();
    }
    return new Part(first, Math.min(last, length - 1));
  }

  /** A run of ASCII digits as a number (huge ones as {@link Long#MAX_VALUE}); -1 if not one. */
  private static long digits(String text) {
    if (text.isEmpty()) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : value * 10 + (c - '0');
    }
    return value;
  }
}
