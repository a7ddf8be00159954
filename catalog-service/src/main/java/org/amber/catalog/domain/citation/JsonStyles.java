package org.amber.catalog.domain.citation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The JSON styles, built as trees and written by Jackson (which does all the escaping): DataCite
 * JSON (Metadata Schema 4 field names) and CSL-JSON.
 */
final class JsonStyles {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonStyles() {}

  /**
   * DataCite JSON. With no creator given, the publisher is the creator (DataCite requires one). The
   * content digest is the version's alternate identifier; the landing page is its {@code url}.
   */
  static ObjectNode dataCite(CitedVersion v) {
    ObjectNode root = NODES.objectNode();
    ObjectNode types = root.putObject("types");
    types.put("resourceTypeGeneral", "Dataset");
    types.put("resourceType", "Dataset version");
    types.put("schemaOrg", "Dataset");
    types.put("citeproc", "dataset");
    types.put("bibtex", "misc");
    types.put("ris", "DATA");
    ArrayNode creators = root.putArray("creators");
    if (v.creators().isEmpty()) {
      creators.addObject().put("name", v.publisher()).put("nameType", "Organizational");
    }
    for (var creator : v.creators()) {
      CreatorName n = CreatorName.of(creator);
      ObjectNode c = creators.addObject().put("name", n.name());
      if (n.isPerson()) {
        c.put("nameType", "Personal").put("givenName", n.given()).put("familyName", n.family());
      }
      if (n.affiliation() != null) {
        c.putArray("affiliation").addObject().put("name", n.affiliation());
      }
      if (n.orcid() != null) {
        c.putArray("nameIdentifiers")
            .addObject()
            .put("nameIdentifier", n.orcid())
            .put("nameIdentifierScheme", "ORCID")
            .put("schemeUri", "https://orcid.org");
      } else if (n.identifier() != null) {
        c.putArray("nameIdentifiers").addObject().put("nameIdentifier", n.identifier());
      }
    }
    root.putArray("titles").addObject().put("title", v.title());
    root.put("publisher", v.publisher());
    root.put("publicationYear", Integer.toString(v.date().getYear()));
    root.putArray("dates").addObject().put("date", v.date().toString()).put("dateType", "Issued");
    root.put("version", Integer.toString(v.version()));
    if (v.license() != null) {
      ObjectNode rights = root.putArray("rightsList").addObject().put("rights", v.license());
      if (v.licenseIsSpdx()) {
        rights
            .put("rightsIdentifier", v.license().toLowerCase(Locale.ROOT))
            .put("rightsIdentifierScheme", "SPDX")
            .put("schemeUri", "https://spdx.org/licenses/");
      }
    }
    if (v.description() != null) {
      root.putArray("descriptions")
          .addObject()
          .put("description", v.description())
          .put("descriptionType", "Abstract");
    }
    root.put("url", v.landingPage());
    root.putArray("identifiers")
        .addObject()
        .put("identifier", v.contentDigest())
        .put("identifierType", "sha256");
    root.put("schemaVersion", "http://datacite.org/schema/kernel-4");
    return root;
  }

  /**
   * CSL-JSON: an array of one {@code dataset} item, the form citeproc processors (pandoc,
   * citeproc-js) read a bibliography in. A person's name is {@code family}/{@code given}, any other
   * {@code literal}. CSL has no variable for a digest; it goes into {@code note}.
   */
  static ArrayNode csl(CitedVersion v) {
    ArrayNode items = NODES.arrayNode();
    ObjectNode item = items.addObject();
    item.put("id", v.key());
    item.put("type", "dataset");
    item.put("title", v.title());
    ArrayNode authors = item.putArray("author");
    for (var creator : v.creators()) {
      CreatorName n = CreatorName.of(creator);
      if (n.isPerson()) {
        authors.addObject().put("family", n.family()).put("given", n.given());
      } else {
        authors.addObject().put("literal", n.name());
      }
    }
    ArrayNode day = item.putObject("issued").putArray("date-parts").addArray();
    day.add(v.date().getYear()).add(v.date().getMonthValue()).add(v.date().getDayOfMonth());
    item.put("version", Integer.toString(v.version()));
    item.put("publisher", v.publisher());
    item.put("URL", v.landingPage());
    if (v.license() != null) {
      item.put("license", v.license());
    }
    if (v.description() != null) {
      item.put("abstract", v.description());
    }
    item.put("note", "Content digest: " + v.contentDigest());
    return items;
  }
}
