package org.amber.catalog.domain.citation;

import java.util.stream.Collectors;

/**
 * One line in DataCite's recommended form, {@code Creator (PublicationYear). Title. Version.
 * Publisher. (ResourceType). Identifier}, with the whole publication date for the year, and the
 * licence and the content digest after it — the {@code citation} field of a version and its {@code
 * text} style.
 */
final class PlainText {
  private PlainText() {}

  static String render(CitedVersion v) {
    String who =
        v.creators().isEmpty()
            ? ""
            : v.creators().stream().map(c -> OneLine.of(c.name())).collect(Collectors.joining("; "))
                + " ";
    StringBuilder out =
        new StringBuilder(who)
            .append('(')
            .append(v.date())
            .append("). ")
            .append(OneLine.of(v.title()))
            .append(" (Version ")
            .append(v.version())
            .append(") [Data set]. ")
            .append(OneLine.of(v.publisher()))
            .append(". ")
            .append(v.landingPage());
    if (v.license() != null) {
      out.append(". Licence: ").append(OneLine.of(v.license()));
    }
    return out.append(". Content digest: ").append(v.contentDigest()).toString();
  }
}
