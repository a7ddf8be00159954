package org.amber.catalog.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.amber.catalog.store.CatalogStore.StoredToken;

/**
 * A bearer token as the API shows it.
 *
 * @param token the secret, present only in the answer that created it
 */
record TokenResponse(
    String id,
    String name,
    String scope,
    String createdAt,
    String lastUsedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String token) {

  static TokenResponse of(StoredToken t, String secret) {
    return new TokenResponse(
        t.id(),
        t.name(),
        t.scope().key(),
        Json.time(t.createdAt()),
        Json.time(t.lastUsedAt()),
        secret);
  }

  /** Every live token. */
  record TokenList(java.util.List<TokenResponse> tokens) {}
}
