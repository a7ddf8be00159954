package org.amber.catalog.http;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code PATCH …/versions/{n}}. Not a record: a given {@code null} (expire never) must
 * be told apart from a missing field.
 */
final class VersionPatch {
  private boolean expiresAtGiven;
  private String expiresAt;

  @JsonProperty("expires_at")
  void setExpiresAt(String expiresAt) {
    this.expiresAtGiven = true;
    this.expiresAt = expiresAt;
  }

  boolean expiresAtGiven() {
    return expiresAtGiven;
  }

  /** RFC 3339 text, or null to expire never. */
  String expiresAt() {
    return expiresAt;
  }
}
