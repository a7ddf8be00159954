package org.amber.catalog.domain.citation;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.amber.catalog.domain.model.DatasetDefinition.Creator;

/**
 * How a creator's name is read for the styles that tell people from organisations. A definition
 * gives one name per creator; written {@code Family, Given} (comma and one space, as DataCite
 * recommends) it is a person's, split there; anything else is kept whole, as an organisation's or a
 * name that must not be split. The rule is exact so that joining the parts again gives back the
 * name as given.
 */
record CreatorName(
    String name, String family, String given, String affiliation, String identifier, String orcid) {
  private static final Pattern PERSON = Pattern.compile("([^,]*\\S), (\\S.*)", Pattern.DOTALL);
  private static final Pattern ORCID =
      Pattern.compile("(?:https?://orcid\\.org/)?(\\d{4}-\\d{4}-\\d{4}-\\d{3}[\\dX])");

  static CreatorName of(Creator c) {
    Matcher person = PERSON.matcher(c.name());
    boolean split = person.matches() && !person.group(1).isBlank() && isTrimmed(person.group(2));
    Matcher orcid = c.identifier() == null ? null : ORCID.matcher(c.identifier().trim());
    return new CreatorName(
        c.name(),
        split ? person.group(1) : null,
        split ? person.group(2) : null,
        c.affiliation(),
        c.identifier(),
        orcid != null && orcid.matches() ? "https://orcid.org/" + orcid.group(1) : null);
  }

  private static boolean isTrimmed(String s) {
    return s.equals(s.strip());
  }

  boolean isPerson() {
    return family != null;
  }
}
