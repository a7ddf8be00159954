package org.amber.catalog.domain;

import java.util.Optional;
import org.amber.catalog.domain.model.Scope;

/**
 * Who may do what: reads need {@code read} unless reads are public; writes need {@code write} or
 * {@code admin} unless the service runs in demo mode, where nothing needs a token.
 */
public final class AccessPolicy {
  private final TokenService tokens;
  private final boolean publicRead;
  private final boolean demoMode;

  public AccessPolicy(TokenService tokens, boolean publicRead, boolean demoMode) {
    this.tokens = tokens;
    this.publicRead = publicRead;
    this.demoMode = demoMode;
  }

  /** The answer to one request. */
  public enum Decision {
    ALLOWED,
    /** No valid token where one is needed: 401. */
    UNAUTHENTICATED,
    /** A valid token without the scope: 403. */
    FORBIDDEN
  }

  /**
   * @param bearerToken the token presented, or null
   */
  public Decision decide(Scope needed, String bearerToken) {
    boolean open = demoMode || (needed == Scope.READ && publicRead);
    if (bearerToken == null) {
      return open ? Decision.ALLOWED : Decision.UNAUTHENTICATED;
    }
    // A token that is presented is checked even where none is needed: a typo should not pass.
    Optional<Scope> scope = tokens.scopeOf(bearerToken);
    if (scope.isEmpty()) {
      return Decision.UNAUTHENTICATED;
    }
    return open || scope.get().includes(needed) ? Decision.ALLOWED : Decision.FORBIDDEN;
  }
}
