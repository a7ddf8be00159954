package org.amber.catalog.http.pages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The schema.org {@code Dataset} a landing page embeds for search engines, written by Jackson and
 * made safe to print inside {@code <script type="application/ld+json">}: HTML ends a script element
 * at the first {@code </script>} whatever JSON thinks, so {@code <}, {@code >} and {@code &} in
 * client text become JSON escapes, which mean the same characters to a JSON reader.
 */
public final class JsonLd {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonLd() {}

  /** What the JSON-LD says about one version. Optional parts are null. */
  public record DatasetFacts(
      String name,
      String description,
      int version,
      List<PageViews.CreatorView> creators,
      String license,
      String datePublished,
      String contentDigest,
      String url,
      List<Distribution> distributions) {}

  /**
   * One download of the dataset.
   *
   * @param contentSize schema.org's free text size, e.g. {@code 1.2 MiB}
   */
  public record Distribution(String contentUrl, String encodingFormat, String contentSize) {}

  public static String of(DatasetFacts facts) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("@context", "https://schema.org/");
    root.put("@type", "Dataset");
    root.put("name", facts.name());
    // schema.org asks for a description; an empty one would be worse than a plain statement.
    root.put(
        "description",
        facts.description() == null || facts.description().isBlank()
            ? "Dataset " + facts.name() + ", version " + facts.version()
            : facts.description());
    root.put("version", Integer.toString(facts.version()));
    ArrayNode creators = root.putArray("creator");
    for (PageViews.CreatorView c : facts.creators()) {
      ObjectNode creator = creators.addObject();
      creator.put("@type", "Person");
      creator.put("name", c.name());
      if (c.identifier() != null) {
        creator.put("identifier", c.identifier());
      }
      if (c.affiliation() != null) {
        creator.putObject("affiliation").put("@type", "Organization").put("name", c.affiliation());
      }
    }
    putIfPresent(root, "license", facts.license());
    putIfPresent(root, "datePublished", facts.datePublished());
    putIfPresent(root, "identifier", facts.contentDigest());
    root.put("url", facts.url());
    ArrayNode distribution = root.putArray("distribution");
    for (Distribution d : facts.distributions()) {
      ObjectNode download = distribution.addObject();
      download.put("@type", "DataDownload");
      download.put("contentUrl", d.contentUrl());
      download.put("encodingFormat", d.encodingFormat());
      putIfPresent(download, "contentSize", d.contentSize());
    }
    try {
      return scriptSafe(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serialises", e);
    }
  }

  /** JSON text that cannot end or open an HTML element: the same JSON value, escaped. */
  static String scriptSafe(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
