package org.amber.catalog.domain.citation;

import java.util.ArrayList;
import java.util.List;

/**
 * A BibTeX {@code @misc} entry. {@code @misc} rather than biblatex's {@code @dataset}: classic
 * BibTeX styles know no {@code @dataset} and would drop the entry's fields; biblatex reads {@code
 * @misc} as well. Fields beyond classic BibTeX's ({@code date}, {@code version}, {@code url}) are
 * biblatex's; the version, licence and digest are also in {@code note}, which every style prints.
 */
final class BibTex {
  private BibTex() {}

  static String render(CitedVersion v) {
    List<String[]> fields = new ArrayList<>();
    if (!v.creators().isEmpty()) {
      fields.add(new String[] {"author", authors(v)});
    }
    // Double braces keep the title's case: BibTeX styles may lower-case it otherwise.
    fields.add(new String[] {"title", "{" + escape(v.title()) + "}"});
    fields.add(new String[] {"year", Integer.toString(v.date().getYear())});
    fields.add(new String[] {"date", v.date().toString()});
    fields.add(new String[] {"version", Integer.toString(v.version())});
    fields.add(new String[] {"publisher", escape(v.publisher())});
    // A URL is written as it is (biblatex reads the field verbatim); it is an RFC 3986 URI
    // built by the service, so it holds no brace or backslash that could end the field.
    fields.add(new String[] {"url", v.landingPage()});
    if (v.license() != null) {
      fields.add(new String[] {"copyright", escape(v.license())});
    }
    if (v.description() != null) {
      fields.add(new String[] {"abstract", escape(v.description())});
    }
    StringBuilder note = new StringBuilder("Version " + v.version() + ". ");
    if (v.license() != null) {
      note.append("Licence: ").append(escape(v.license())).append(". ");
    }
    note.append("Content digest: ").append(escape(v.contentDigest()));
    fields.add(new String[] {"note", note.toString()});

    StringBuilder out = new StringBuilder("@misc{").append(v.key()).append(",\n");
    for (int i = 0; i < fields.size(); i++) {
      out.append("  ")
          .append(String.format("%-9s", fields.get(i)[0]))
          .append(" = {")
          .append(fields.get(i)[1])
          .append('}')
          .append(i + 1 < fields.size() ? ",\n" : "\n");
    }
    return out.append("}\n").toString();
  }

  /**
   * {@code {Family}, {Given} and {Organisation}}: each part braced, so that an "and" or a comma
   * inside a name never splits it, and an organisation is never taken apart as a first and last
   * name.
   */
  private static String authors(CitedVersion v) {
    List<String> names = new ArrayList<>();
    for (var creator : v.creators()) {
      CreatorName n = CreatorName.of(creator);
      names.add(
          n.isPerson()
              ? "{" + escape(n.family()) + "}, {" + escape(n.given()) + "}"
              : "{" + escape(n.name()) + "}");
    }
    return String.join(" and ", names);
  }

  /**
   * Client text as LaTeX that prints it as given: the ten special characters become the commands or
   * escapes that print them, {@code < > |} their text commands (the default font would print other
   * glyphs), and the ligatures {@code --}, {@code ``} and {@code ''} are broken with an empty
   * group. Line breaks become spaces (a blank line would end a paragraph). Bidirectional controls
   * are dropped: TeX does not lay text out by them, and in a .bib file read by people they can make
   * an entry look other than it is. The result has only balanced braces, so it cannot end its field
   * early. Apostrophes and backquotes are left to TeX, which prints them as typographic quotes.
   */
  static String escape(String text) {
    String line = OneLine.of(text);
    StringBuilder out = new StringBuilder(line.length() + 16);
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (isBidiControl(c)) {
        continue;
      }
      switch (c) {
        case '\\' -> out.append("\\textbackslash{}");
        case '{' -> out.append("\\{");
        case '}' -> out.append("\\}");
        case '%', '&', '$', '#', '_' -> out.append('\\').append(c);
        case '~' -> out.append("\\textasciitilde{}");
        case '^' -> out.append("\\textasciicircum{}");
        case '<' -> out.append("\\textless{}");
        case '>' -> out.append("\\textgreater{}");
        case '|' -> out.append("\\textbar{}");
        case '-', '`', '\'' -> {
          out.append(c);
          if (i + 1 < line.length() && line.charAt(i + 1) == c) {
            out.append("{}");
          }
        }
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** ALM, LRM, RLM, and the embedding, override and isolate controls. */
  private static boolean isBidiControl(char c) {
    return c == '\u061C'
        || c == '\u200E'
        || c == '\u200F'
        || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
