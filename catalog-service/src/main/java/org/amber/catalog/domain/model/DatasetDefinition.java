package org.amber.catalog.domain.model;

import java.time.Instant;
import java.util.List;

/**
 * A dataset as defined by a client: what to read and how long versions live.
 *
 * @param creators each a name, optionally with affiliation and identifier, kept as given
 * @param defaultTtl how long a completed version lives, or null for ever
 * @param adHoc made by {@code POST /v1/materialise} rather than defined by name
 */
public record DatasetDefinition(
    String name,
    BuildRequest build,
    Ttl defaultTtl,
    String description,
    List<Creator> creators,
    String license,
    Schedule schedule,
    boolean adHoc,
    Instant createdAt,
    Instant updatedAt) {

  public DatasetDefinition {
    creators = List.copyOf(creators);
  }

  /** One person or organisation credited in citations. */
  public record Creator(String name, String affiliation, String identifier) {}
}
