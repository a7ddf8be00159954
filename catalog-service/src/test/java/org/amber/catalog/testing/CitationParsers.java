package org.amber.catalog.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.amber.catalog.domain.citation.CitationStyle;
import org.jbibtex.BibTeXDatabase;
import org.jbibtex.BibTeXEntry;
import org.jbibtex.BibTeXParser;
import org.jbibtex.Key;
import org.jbibtex.LaTeXParser;
import org.jbibtex.LaTeXPrinter;
import org.jbibtex.Value;

/**
 * Reads a citation back with a parser of its style, as a reference manager would: jbibtex for
 * BibTeX, Jackson for the JSON styles, a YAML parser for CFF, and the line structure for RIS and
 * plain text. Also the hostile corpus the citation tests render.
 */
public final class CitationParsers {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private CitationParsers() {}

  /** Text no citation may be broken by: markup of every style, line breaks, bidi, emoji, size. */
  public static final List<String> HOSTILE =
      List.of(
          "Quote \"double\" and 'single'",
          "{unbalanced {{ braces } and }}}",
          "back\\slash \\textbf{bold} \\\\ end\\",
          "100% & $5 #1 _under_ ~tilde^caret",
          "a--b---c ``quoted'' <less> |bar| @at",
          "key = {value}}, @misc{forged, title = {x}",
          "line one\nline two\r\nthree\rfour\u2028five\u2029six\u0085seven\u000bend",
          "x\r\nER  - \r\nTY  - JOUR\r\nTI  - forged",
          "\u202Eevil\u202C \u200F rtl mark \u05E9\u05DC\u05D5\u05DD \u200E",
          "emoji \uD83E\uDDEA\uD83E\uDDEC and CJK \u6570\u636E\u96C6 and e\u0301",
          "- item\n: colon # hash &anchor *alias !tag %directive",
          "yes",
          "null",
          "  leading and trailing  ",
          "tab\there",
          "long ".repeat(2000).trim());

  /** What a citation says, read back; fields hold the text as the style gives it. */
  public record Parsed(
      String title,
      List<String> creators,
      String version,
      String date,
      String license,
      String url,
      String digest) {}

  /**
   * {@code text} as a style can carry it: unchanged in the JSON and YAML styles; in the line-based
   * ones every line break and control character a space; in BibTeX also white space runs one space,
   * as TeX reads them.
   */
  public static String asParsed(CitationStyle style, String text) {
    switch (style) {
      case RIS:
      case TEXT:
        return oneLine(text);
      case BIBTEX:
        // TeX prints ' and ` as typographic quotes, as a bibliography should; bidi controls go.
        return oneLine(text)
            .replaceAll("[\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]", "")
            .replace('\'', '’')
            .replace('`', '‘');
      default:
        return text;
    }
  }

  private static String oneLine(String text) {
    return text.replaceAll("[\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]", " ");
  }

  /** A printable form of hostile text for messages. */
  public static String show(String text) {
    String shown = text.length() > 60 ? text.substring(0, 60) + "…" : text;
    return "'" + shown.replace("\n", "\\n").replace("\r", "\\r") + "'";
  }

  /**
   * Plain text joins creators with "; " and so cannot be split back unambiguously: there the joined
   * lists are compared.
   */
  public static void assertCreators(
      CitationStyle style, List<String> expected, List<String> actual, String message) {
    if (style == CitationStyle.TEXT) {
      assertEquals(String.join("; ", expected), String.join("; ", actual), message);
    } else {
      assertEquals(expected, actual, message);
    }
  }

  public static Parsed parse(CitationStyle style, String text) {
    try {
      return switch (style) {
        case BIBTEX -> bibtex(text);
        case CFF -> cff(text);
        case DATACITE -> dataCite(text);
        case RIS -> ris(text);
        case CSL -> csl(text);
        case TEXT -> plainText(text);
      };
    } catch (Exception e) {
      throw new AssertionError(style.key() + " does not parse: " + e + "\n" + text, e);
    }
  }

  private static Parsed bibtex(String text) throws Exception {
    BibTeXDatabase db = new BibTeXParser().parse(new StringReader(text));
    assertEquals(1, db.getEntries().size(), "one entry");
    BibTeXEntry entry = db.getEntries().values().iterator().next();
    assertEquals("misc", entry.getType().getValue());
    List<String> creators = new ArrayList<>();
    Value author = entry.getField(BibTeXEntry.KEY_AUTHOR);
    if (author != null) {
      for (String name : splitAnd(author.toUserString())) {
        creators.add(latex(name));
      }
    }
    Map<String, String> f = new LinkedHashMap<>();
    entry.getFields().forEach((Key k, Value v) -> f.put(k.getValue(), v.toUserString()));
    return new Parsed(
        latex(f.get("title")),
        creators,
        f.get("version"),
        f.get("date"),
        latex(f.get("copyright")),
        f.get("url"),
        latex(f.get("note")));
  }

  /** A BibTeX name list split at its top-level " and "s. */
  private static List<String> splitAnd(String names) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < names.length(); i++) {
      char c = names.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      } else if (depth == 0 && names.startsWith(" and ", i)) {
        out.add(names.substring(start, i));
        start = i + 5;
      }
    }
    out.add(names.substring(start));
    return out;
  }

  /**
   * LaTeX as the text it prints, by jbibtex's LaTeX reader. That reader knows few scripts (no CJK,
   * no emoji), so every non-ASCII character, which the escaping leaves as it is, is carried past it
   * as an ASCII placeholder and put back after.
   */
  private static String latex(String latex) throws Exception {
    if (latex == null) {
      return null;
    }
    StringBuilder ascii = new StringBuilder();
    latex
        .codePoints()
        .forEach(
            cp -> {
              if (cp < 0x80) {
                ascii.appendCodePoint(cp);
              } else {
                ascii.append("QxQ").append(Integer.toHexString(cp)).append("QxQ");
              }
            });
    String printed = new LaTeXPrinter().print(new LaTeXParser().parse(ascii.toString()));
    Matcher placeholder = Pattern.compile("QxQ([0-9a-f]+)QxQ").matcher(printed);
    StringBuilder out = new StringBuilder();
    while (placeholder.find()) {
      placeholder.appendReplacement(
          out,
          Matcher.quoteReplacement(
              new String(Character.toChars(Integer.parseInt(placeholder.group(1), 16)))));
    }
    return placeholder.appendTail(out).toString();
  }

  private static Parsed ris(String text) {
    assertTrue(text.endsWith("ER  - \r\n"), "ends with ER: " + text);
    String[] lines = text.split("\r\n");
    assertEquals("TY  - DATA", lines[0]);
    Map<String, List<String>> tags = new LinkedHashMap<>();
    for (String line : lines) {
      assertTrue(line.matches("[A-Z][A-Z0-9]  - .*"), "an RIS line: '" + line + "'");
      assertFalse(line.contains("\n") || line.contains("\r"), line);
      tags.computeIfAbsent(line.substring(0, 2), t -> new ArrayList<>()).add(line.substring(6));
    }
    assertEquals(1, tags.get("ER").size(), "one end of record");
    assertEquals(1, tags.get("TY").size(), "one type");
    String notes = String.join("\n", tags.getOrDefault("N1", List.of()));
    return new Parsed(
        tags.get("TI").get(0),
        tags.getOrDefault("AU", List.of()),
        tags.get("ET").get(0),
        tags.get("DA").get(0).replace('/', '-'),
        notes,
        tags.get("UR").get(0),
        notes);
  }

  private static Parsed csl(String text) throws IOException {
    JsonNode items = JSON.readTree(text);
    assertTrue(items.isArray() && items.size() == 1, "an array of one item");
    JsonNode item = items.get(0);
    assertEquals("dataset", item.get("type").asText());
    List<String> creators = new ArrayList<>();
    for (JsonNode a : item.path("author")) {
      creators.add(
          a.has("literal")
              ? a.get("literal").asText()
              : a.get("family").asText() + ", " + a.get("given").asText());
    }
    JsonNode day = item.get("issued").get("date-parts").get(0);
    return new Parsed(
        item.get("title").asText(),
        creators,
        item.get("version").asText(),
        String.format("%04d-%02d-%02d", day.get(0).asInt(), day.get(1).asInt(), day.get(2).asInt()),
        item.path("license").asText(null),
        item.get("URL").asText(),
        item.get("note").asText());
  }

  private static Parsed dataCite(String text) throws IOException {
    JsonNode root = JSON.readTree(text);
    assertEquals("Dataset", root.get("types").get("resourceTypeGeneral").asText());
    assertTrue(root.get("publicationYear").asText().matches("\\d{4}"));
    assertFalse(root.get("publisher").asText().isEmpty());
    List<String> creators = new ArrayList<>();
    for (JsonNode c : root.get("creators")) {
      if (c.has("familyName")) {
        assertEquals(
            c.get("name").asText(),
            c.get("familyName").asText() + ", " + c.get("givenName").asText());
      }
      creators.add(c.get("name").asText());
    }
    return new Parsed(
        root.get("titles").get(0).get("title").asText(),
        creators,
        root.get("version").asText(),
        root.get("dates").get(0).get("date").asText(),
        root.path("rightsList").path(0).path("rights").asText(null),
        root.get("url").asText(),
        root.get("identifiers").get(0).get("identifier").asText());
  }

  /** CFF: the keys CFF 1.2.0 requires are there, and {@code type} says it is a dataset. */
  private static Parsed cff(String text) throws IOException {
    JsonNode root = YAML.readTree(text);
    assertEquals("1.2.0", root.get("cff-version").asText());
    assertEquals("dataset", root.get("type").asText());
    assertFalse(root.get("message").asText().isEmpty());
    assertTrue(root.get("authors").isArray() && root.get("authors").size() > 0, "authors");
    List<String> creators = new ArrayList<>();
    for (JsonNode a : root.get("authors")) {
      creators.add(
          a.has("name")
              ? a.get("name").asText()
              : a.get("family-names").asText() + ", " + a.get("given-names").asText());
    }
    return new Parsed(
        root.get("title").asText(),
        creators,
        root.get("version").asText(),
        root.get("date-released").asText(),
        root.has("license") ? root.get("license").asText() : root.get("message").asText(),
        root.get("url").asText(),
        root.get("identifiers").get(0).get("value").asText());
  }

  private static final Pattern TEXT =
      Pattern.compile(
          "(?<who>.*?)\\((?<date>\\d{4}-\\d{2}-\\d{2})\\)\\. (?<title>.*) \\(Version (?<version>\\d+)\\)"
              + " \\[Data set\\]\\. (?<publisher>.*?)\\. (?<url>https?://[^ ]+?)(?:\\. Licence: (?<license>.*))?"
              + "\\. Content digest: (?<digest>sha256:[0-9a-f]{64})",
          Pattern.DOTALL);

  private static Parsed plainText(String text) {
    assertFalse(text.contains("\n") || text.contains("\r"), "one line: " + text);
    Matcher m = TEXT.matcher(text);
    assertTrue(m.matches(), "the DataCite form: " + text);
    String who = m.group("who");
    return new Parsed(
        m.group("title"),
        who.isEmpty() ? List.of() : List.of(who.substring(0, who.length() - 1)),
        m.group("version"),
        m.group("date"),
        m.group("license") == null ? "" : m.group("license"),
        m.group("url"),
        m.group("digest"));
  }
}
