package org.amber.artifacts.changes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * Rows added, removed and changed between two versions of a dataset, matched by key; or why they
 * could not be counted. A build that is given the previous version's manifest records this in its
 * build summary and build record.
 *
 * @param comparedWith the content digest of the version compared with ({@code sha256:…})
 * @param available whether the counts are there; when not, {@code reason} says why
 * @param key the column rows are matched by
 * @param reason one readable line, only when not available
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Changes(
    @JsonProperty("compared_with") String comparedWith,
    @JsonProperty("available") boolean available,
    @JsonProperty("key") String key,
    @JsonProperty("added") Long added,
    @JsonProperty("removed") Long removed,
    @JsonProperty("changed") Long changed,
    @JsonProperty("reason") String reason)
    implements Serializable {

  public static Changes counted(
      String comparedWith, String key, long added, long removed, long changed) {
    return new Changes(comparedWith, true, key, added, removed, changed, null);
  }

  public static Changes unavailable(String comparedWith, String reason) {
    return new Changes(comparedWith, false, null, null, null, null, reason);
  }
}
