package org.amber.catalog.domain.citation;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The forms a version's citation can be had in: its name in {@code ?style=}, the media type a
 * client asks for it by in {@code Accept}, and the file name extension it is saved under.
 */
public enum CitationStyle {
  /** A BibTeX {@code @misc} entry (biblatex and classic BibTeX styles both read it). */
  BIBTEX("bibtex", "application/x-bibtex", ".bib", true),
  /**
   * A {@code CITATION.cff} (Citation File Format 1.2.0, YAML). CFF has no registered media type;
   * {@code application/x-cff} is the name the catalog answers to.
   */
  CFF("cff", "application/x-cff", ".cff", true),
  /** DataCite Metadata Schema 4 in DataCite's JSON form. */
  DATACITE("datacite", "application/vnd.datacite.datacite+json", ".datacite.json", false),
  /** An RIS record, type {@code DATA}. */
  RIS("ris", "application/x-research-info-systems", ".ris", true),
  /** CSL-JSON (citeproc-json): an array holding one {@code dataset} item. */
  CSL("csl", "application/vnd.citationstyles.csl+json", ".csl.json", false),
  /**
   * One line of text in DataCite's recommended form (the version's {@code citation} field), under
   * the media type DOI content negotiation uses for formatted citations.
   */
  TEXT("text", "text/x-bibliography", ".txt", true);

  private final String key;
  private final String mediaType;
  private final String extension;
  private final boolean textual;

  CitationStyle(String key, String mediaType, String extension, boolean textual) {
    this.key = key;
    this.mediaType = mediaType;
    this.extension = extension;
    this.textual = textual;
  }

  /** The name in {@code ?style=}. */
  public String key() {
    return key;
  }

  /** The media type without parameters, as clients name it in {@code Accept}. */
  public String mediaType() {
    return mediaType;
  }

  /**
   * The {@code Content-Type} to answer with: the text formats say their charset; JSON is UTF-8 by
   * definition (RFC 8259) and takes no charset parameter.
   */
  public String contentType() {
    return textual ? mediaType + "; charset=utf-8" : mediaType;
  }

  /** A file name for the citation of one version, e.g. {@code compound-v3.bib}. */
  public String fileName(String dataset, int version) {
    return dataset + "-v" + version + extension;
  }

  /** The style named {@code key} (as in {@code ?style=}), case-insensitively. */
  public static Optional<CitationStyle> byKey(String key) {
    return Arrays.stream(values())
        .filter(s -> s.key.equals(key.toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  /** The style served as {@code mediaType} (no parameters, any case). */
  public static Optional<CitationStyle> byMediaType(String mediaType) {
    return Arrays.stream(values()).filter(s -> s.mediaType.equalsIgnoreCase(mediaType)).findFirst();
  }

  /** {@code bibtex, cff, …}: for messages that list the choices. */
  public static String keys() {
    return Arrays.stream(values()).map(CitationStyle::key).collect(Collectors.joining(", "));
  }
}
