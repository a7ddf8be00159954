package org.amber.catalog.http;

import java.util.List;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.http.pages.PageViews.CitationView;

/**
 * The citations a landing page offers, one per style. This is the one place that decides them:
 * today the plain-text citation the API shows; the citation styles (BibTeX, CFF, DataCite, RIS, CSL
 * JSON) plug in here, each as a label, its media type and its text.
 */
final class PageCitations {
  private PageCitations() {}

  /**
   * @param definition null when the dataset is gone
   * @param landingUrl the absolute URL of the version's page, which a citation points at
   */
  static List<CitationView> of(Version v, DatasetDefinition definition, String landingUrl) {
    String plain = VersionResponse.citation(v, definition);
    if (plain == null) {
      return List.of();
    }
    return List.of(new CitationView("citation-text", "Text", "text/plain", plain));
  }
}
