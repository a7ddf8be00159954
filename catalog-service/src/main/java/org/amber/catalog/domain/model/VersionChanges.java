package org.amber.catalog.domain.model;

/**
 * Rows added, removed and changed against an earlier version of the same dataset, matched by key,
 * as the build counted them; or why it could not.
 *
 * @param comparedWith the number of the version compared with; null when the catalog no longer
 *     holds a version with the content the build compared with
 * @param reason one readable line when not {@code available}
 */
public record VersionChanges(
    Integer comparedWith,
    boolean available,
    String key,
    Long added,
    Long removed,
    Long changed,
    String reason) {}
