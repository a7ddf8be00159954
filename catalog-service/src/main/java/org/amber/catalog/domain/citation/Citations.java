package org.amber.catalog.domain.citation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders the citation of a dataset version in any {@link CitationStyle}. Every style carries the
 * title, creators, version, publication date, licence, landing page and content digest. The
 * structured styles are written by Jackson (JSON, and YAML for CFF), which escapes client text;
 * BibTeX and RIS have no library fit for writing them and are small serializers of their own.
 */
public final class Citations {
  private static final ObjectWriter JSON = new ObjectMapper().writerWithDefaultPrettyPrinter();

  /** CFF files are as often written by hand: no quotes where YAML needs none, no {@code ---}. */
  private static final ObjectWriter YAML =
      new YAMLMapper(
              YAMLFactory.builder()
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .build())
          .writer();

  private Citations() {}

  public static String render(CitationStyle style, CitedVersion version) {
    return switch (style) {
      case BIBTEX -> BibTex.render(version);
      case CFF -> write(YAML, CitationFile.tree(version));
      case DATACITE -> write(JSON, JsonStyles.dataCite(version)) + "\n";
      case RIS -> Ris.render(version);
      case CSL -> write(JSON, JsonStyles.csl(version)) + "\n";
      case TEXT -> PlainText.render(version);
    };
  }

  private static String write(ObjectWriter writer, JsonNode tree) {
    try {
      return writer.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serialises", e);
    }
  }
}
