package org.amber.catalog.http;

import java.util.List;
import java.util.stream.Stream;
import org.amber.catalog.domain.citation.CitationStyle;
import org.amber.catalog.domain.citation.Citations;
import org.amber.catalog.domain.citation.CitedVersion;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.http.pages.PageViews.CitationView;

/**
 * The citations a landing page offers: every style the API renders, plain text first, each with the
 * same text {@code GET …/citation?style=} answers.
 */
final class PageCitations {
  private static final List<CitationStyle> ORDER =
      Stream.concat(
              Stream.of(CitationStyle.TEXT),
              Stream.of(CitationStyle.values()).filter(s -> s != CitationStyle.TEXT))
          .toList();

  private PageCitations() {}

  /**
   * @param definition null when the dataset is gone
   * @param publicUrl the catalog's external base URL, which a citation's landing page URL starts
   *     with
   */
  static List<CitationView> of(Version v, DatasetDefinition definition, String publicUrl) {
    if (!CitedVersion.citable(v)) {
      return List.of();
    }
    CitedVersion cited = CitedVersion.of(v, definition, publicUrl);
    return ORDER.stream()
        .map(
            style ->
                new CitationView(
                    "citation-" + style.key(),
                    label(style),
                    style.mediaType(),
                    Citations.render(style, cited)))
        .toList();
  }

  private static String label(CitationStyle style) {
    return switch (style) {
      case TEXT -> "Text";
      case BIBTEX -> "BibTeX";
      case CFF -> "CFF (CITATION.cff)";
      case DATACITE -> "DataCite JSON";
      case RIS -> "RIS";
      case CSL -> "CSL-JSON";
    };
  }
}
