package org.amber.catalog.domain.citation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.amber.catalog.domain.model.DatasetDefinition.Creator;
import org.amber.catalog.testing.CitationParsers;
import org.junit.jupiter.api.Test;

/**
 * The renderer on its own: hostile titles and creators in every style, read back by the parser of
 * that style ({@link CitationParsers}) and found unchanged.
 */
class CitationsTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final String URL = "https://data.example.org/datasets/compound/versions/3";
  private static final Instant FINISHED = Instant.parse("2026-11-21T23:59:59Z");

  private static CitedVersion cited(
      String title, String description, String license, List<Creator> creators) {
    return new CitedVersion(
        title, description, creators, 3, FINISHED, license, URL, DIGEST, CitedVersion.PUBLISHER);
  }

  @Test
  void everyStyleCarriesEveryField() {
    CitedVersion v =
        cited(
            "compound",
            "Compounds measured in 2026",
            "CC-BY-4.0",
            List.of(
                new Creator("Lovelace, Ada", "Analytical Engines Ltd", "0000-0002-1825-0097"),
                new Creator("Amber Lab", null, null)));
    for (CitationStyle style : CitationStyle.values()) {
      CitationParsers.Parsed p = CitationParsers.parse(style, Citations.render(style, v));
      assertEquals("compound", p.title(), style.key());
      CitationParsers.assertCreators(
          style, List.of("Lovelace, Ada", "Amber Lab"), p.creators(), style.key());
      assertEquals("3", p.version(), style.key());
      assertTrue(p.date().startsWith("2026"), style + " date " + p.date());
      assertTrue(p.license().contains("CC-BY-4.0"), style.key());
      assertEquals(URL, p.url(), style.key());
      assertTrue(p.digest().contains(DIGEST), style.key());
    }
  }

  @Test
  void theDateIsTheDayTheBuildFinishedInUtc() {
    CitedVersion v = cited("compound", null, null, List.of());
    CitationParsers.Parsed csl =
        CitationParsers.parse(CitationStyle.CSL, Citations.render(CitationStyle.CSL, v));
    assertEquals("2026-11-21", csl.date());
    CitationParsers.Parsed cff =
        CitationParsers.parse(CitationStyle.CFF, Citations.render(CitationStyle.CFF, v));
    assertEquals("2026-11-21", cff.date());
  }

  @Test
  void hostileTextSurvivesEveryStyle() {
    for (String hostile : CitationParsers.HOSTILE) {
      CitedVersion v =
          cited(
              hostile,
              hostile,
              hostile,
              List.of(
                  new Creator(hostile, hostile, hostile),
                  new Creator("Doe, " + hostile, null, null)));
      for (CitationStyle style : CitationStyle.values()) {
        String text = Citations.render(style, v);
        CitationParsers.Parsed p = CitationParsers.parse(style, text);
        String expected = CitationParsers.asParsed(style, hostile);
        String where = style.key() + " of " + CitationParsers.show(hostile) + ":\n" + text;
        assertEquals(expected, p.title(), where);
        CitationParsers.assertCreators(
            style,
            List.of(expected, CitationParsers.asParsed(style, "Doe, " + hostile)),
            p.creators(),
            where);
        assertTrue(p.license().contains(expected), where);
        assertEquals(URL, p.url(), where);
        assertTrue(p.digest().contains(DIGEST), where);
      }
    }
  }

  @Test
  void risValuesNeverStartALineOfTheirOwn() {
    String injected = "x\r\nER  - \r\nTY  - JOUR\nTI  - forged\u2028AU  - Mallory";
    CitedVersion v =
        cited(injected, injected, injected, List.of(new Creator(injected, null, null)));
    String ris = Citations.render(CitationStyle.RIS, v);
    List<String> lines = List.of(ris.split("\r\n", -1));
    assertEquals("", lines.get(lines.size() - 1), "the record ends with CRLF");
    assertEquals("ER  - ", lines.get(lines.size() - 2));
    assertEquals(1, lines.stream().filter(l -> l.startsWith("ER  -")).count(), ris);
    assertEquals(1, lines.stream().filter(l -> l.startsWith("TY  -")).count(), ris);
    assertFalse(ris.replace("\r\n", "").contains("\n"), "no bare line feed: " + ris);
    assertFalse(ris.replace("\r\n", "").contains("\r"), "no bare carriage return: " + ris);
  }

  @Test
  void bibtexEscapesEverySpecialCharacter() {
    assertEquals(
        "\\{\\}\\textbackslash{}\\%\\&\\$\\#\\_\\textasciitilde{}\\textasciicircum{}",
        BibTex.escape("{}\\%&$#_~^"));
    assertEquals("a-{}-b `{}` '{}' c d", BibTex.escape("a--b `` '' c\nd"));
  }

  @Test
  void namesSplitOnlyInTheFamilyCommaGivenForm() {
    Map<String, List<String>> cases =
        Map.of(
            "Lovelace, Ada", List.of("Lovelace", "Ada"),
            "de la Vallée Poussin, Charles", List.of("de la Vallée Poussin", "Charles"),
            "Amber Lab", List.of(),
            "Lovelace,Ada", List.of(),
            "Lovelace, ", List.of(),
            ", Ada", List.of(),
            "A, B, C", List.of("A", "B, C"));
    cases.forEach(
        (name, parts) -> {
          CreatorName n = CreatorName.of(new Creator(name, null, null));
          assertEquals(
              parts, n.isPerson() ? List.of(n.family(), n.given()) : List.of(), "'" + name + "'");
        });
  }

  @Test
  void anOrcidIsRecognisedBareOrAsAUrl() {
    assertEquals(
        "https://orcid.org/0000-0002-1825-0097",
        CreatorName.of(new Creator("A", null, "0000-0002-1825-0097")).orcid());
    assertEquals(
        "https://orcid.org/0000-0002-1694-233X",
        CreatorName.of(new Creator("A", null, "https://orcid.org/0000-0002-1694-233X")).orcid());
    assertEquals(null, CreatorName.of(new Creator("A", null, "ISNI 0000 0001")).orcid());
  }
}
