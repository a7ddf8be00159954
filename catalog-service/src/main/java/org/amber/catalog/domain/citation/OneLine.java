package org.amber.catalog.domain.citation;

/**
 * Client text made fit for one line of a line-based format (RIS, BibTeX, plain text): every
 * character that ends a line somewhere ({@code \r}, {@code \n}, vertical tab, form feed, NEL, the
 * Unicode line and paragraph separators) and every other control character becomes a space, so no
 * value can end its line early and start a line of its own (an {@code ER - } in RIS).
 */
final class OneLine {
  private OneLine() {}

  static String of(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean breaks = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
      out.append(breaks ? ' ' : c);
    }
    return out.toString();
  }
}
