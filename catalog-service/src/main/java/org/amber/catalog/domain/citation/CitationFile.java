package org.amber.catalog.domain.citation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@code CITATION.cff} (Citation File Format 1.2.0). Its {@code license} takes SPDX identifiers
 * only, so a licence given as other text goes into the {@code message}; its {@code authors} needs
 * at least one, so with no creator given the publisher is the author. CFF has no publisher key (its
 * top level admits no other keys).
 */
final class CitationFile {
  static final String MESSAGE = "If you use this dataset, please cite it using these metadata.";

  private CitationFile() {}

  static ObjectNode tree(CitedVersion v) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("cff-version", "1.2.0");
    root.put(
        "message",
        v.license() == null || v.licenseIsSpdx() ? MESSAGE : MESSAGE + " Licence: " + v.license());
    root.put("type", "dataset");
    root.put("title", v.title());
    ArrayNode authors = root.putArray("authors");
    if (v.creators().isEmpty()) {
      authors.addObject().put("name", v.publisher());
    }
    for (var creator : v.creators()) {
      CreatorName n = CreatorName.of(creator);
      ObjectNode a = authors.addObject();
      if (n.isPerson()) {
        a.put("family-names", n.family()).put("given-names", n.given());
        if (n.affiliation() != null) {
          a.put("affiliation", n.affiliation());
        }
      } else {
        // An entity: CFF gives it no affiliation.
        a.put("name", n.name());
      }
      if (n.orcid() != null) {
        a.put("orcid", n.orcid());
      }
    }
    if (v.description() != null) {
      root.put("abstract", v.description());
    }
    root.put("version", Integer.toString(v.version()));
    root.put("date-released", v.date().toString());
    if (v.licenseIsSpdx()) {
      root.put("license", v.license());
    }
    root.put("url", v.landingPage());
    root.putArray("identifiers")
        .addObject()
        .put("type", "other")
        .put("value", v.contentDigest())
        .put("description", "Content digest (SHA-256) of this version's data");
    return root;
  }
}
