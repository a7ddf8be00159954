package org.amber.catalog.domain.citation;

import java.time.format.DateTimeFormatter;

/**
 * An RIS record of type {@code DATA}: one {@code TAG - value} line per field, CRLF line ends as the
 * format has them, {@code ER - } last. Every value is made one line ({@link OneLine}), so client
 * text can neither end the record nor start a field of its own. RIS has no tag for a licence or a
 * digest; both go into notes ({@code N1}), the version into {@code ET} as DataCite's RIS does.
 */
final class Ris {
  private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("uuuu/MM/dd");

  private Ris() {}

  static String render(CitedVersion v) {
    StringBuilder out = new StringBuilder();
    line(out, "TY", "DATA");
    line(out, "TI", v.title());
    for (var creator : v.creators()) {
      line(out, "AU", creator.name());
    }
    if (v.description() != null) {
      line(out, "AB", v.description());
    }
    line(out, "PY", Integer.toString(v.date().getYear()));
    line(out, "DA", DA.format(v.date()));
    line(out, "ET", Integer.toString(v.version()));
    line(out, "PB", v.publisher());
    line(out, "UR", v.landingPage());
    if (v.license() != null) {
      line(out, "N1", "Licence: " + v.license());
    }
    line(out, "N1", "Content digest: " + v.contentDigest());
    line(out, "ID", v.key());
    line(out, "ER", "");
    return out.toString();
  }

  private static void line(StringBuilder out, String tag, String value) {
    out.append(tag).append("  - ").append(OneLine.of(value)).append("\r\n");
  }
}
