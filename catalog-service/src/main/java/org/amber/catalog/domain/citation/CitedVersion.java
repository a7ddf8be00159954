package org.amber.catalog.domain.citation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.amber.catalog.domain.model.CatalogException;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Version;

/**
 * What a citation of one dataset version says, whatever its style.
 *
 * @param dataset the dataset's name, which is also the title (a definition has no other)
 * @param description the dataset's description, or null
 * @param creators as the definition gives them; may be empty
 * @param published when the version's build finished: its publication date
 * @param license the definition's licence text as given (ideally an SPDX identifier), or null
 * @param landingPage the absolute URL of the version's landing page
 * @param contentDigest {@code sha256:<hex>}, the version's identity
 */
public record CitedVersion(
    String dataset,
    String description,
    List<DatasetDefinition.Creator> creators,
    int version,
    Instant published,
    String license,
    String landingPage,
    String contentDigest,
    String publisher) {

  /** Who publishes every version this catalog serves. */
  public static final String PUBLISHER = "Amber";

  /** An SPDX licence identifier: what CFF's {@code license} and DataCite's scheme accept. */
  private static final Pattern SPDX_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+-]*");

  public CitedVersion {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(published, "published");
    Objects.requireNonNull(landingPage, "landingPage");
    Objects.requireNonNull(contentDigest, "contentDigest");
    Objects.requireNonNull(publisher, "publisher");
    creators = List.copyOf(creators);
  }

  /**
   * Whether a version can be cited: only one whose content exists (or existed: an expired or
   * deleted version keeps its digest and metadata, and a citation made of it must keep resolving to
   * the same description).
   */
  public static boolean citable(Version v) {
    return v.contentDigest() != null && v.finishedAt() != null;
  }

  /**
   * The citation of {@code v}.
   *
   * @param definition the dataset's definition, or null when the dataset is gone (the citation then
   *     names no creators, description or licence)
   * @param publicUrl the service's public base URL ({@code https://data.example.org}), without a
   *     trailing slash
   * @throws CatalogException conflict when the version has no content (yet) to cite
   */
  public static CitedVersion of(Version v, DatasetDefinition definition, String publicUrl) {
    if (!citable(v)) {
      throw CatalogException.conflict(
          "version "
              + v.number()
              + " of '"
              + v.dataset()
              + "' has no content to cite (status "
              + v.status()
              + "); only a version that completed can be cited");
    }
    return new CitedVersion(
        v.dataset(),
        definition == null ? null : definition.description(),
        definition == null ? List.of() : definition.creators(),
        v.number(),
        v.finishedAt(),
        definition == null ? null : definition.license(),
        landingPage(publicUrl, v.dataset(), v.number()),
        v.contentDigest(),
        PUBLISHER);
  }

  /**
   * The landing page of a version: {@code <publicUrl>/datasets/{name}/versions/{version}}. Dataset
   * names are URL-safe by construction ({@code [a-z0-9._-]}), so nothing needs encoding.
   */
  public static String landingPage(String publicUrl, String dataset, int version) {
    return publicUrl + "/datasets/" + dataset + "/versions/" + version;
  }

  /** The publication date, in UTC. */
  public LocalDate date() {
    return published.atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** The title: the dataset's name. */
  public String title() {
    return dataset;
  }

  /** Whether the licence text is an SPDX identifier (in form: the list itself is not checked). */
  public boolean licenseIsSpdx() {
    return license != null && SPDX_ID.matcher(license).matches();
  }

  /**
   * A key to cite the version by in a bibliography: {@code compound_v3}. Dataset names are safe in
   * a key already; anything else is replaced all the same, as a key cannot be escaped in BibTeX.
   */
  public String key() {
    return dataset.replaceAll("[^A-Za-z0-9._-]", "_") + "_v" + version;
  }
}
