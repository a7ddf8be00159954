package org.amber.catalog.domain;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.amber.artifacts.manifest.ContentDigest;
import org.amber.catalog.domain.model.Scope;
import org.amber.catalog.store.CatalogStore;
import org.amber.catalog.store.CatalogStore.StoredToken;

/**
 * Bearer tokens: created with a scope, shown once, stored only as their SHA-256. A token is 32
 * random bytes, so a plain hash is as good as a slow one and checking it costs microseconds.
 *
 * <p>Every check asks the store (one lookup by the indexed hash): a token revoked by any process
 * sharing the catalog database, such as {@code amber token revoke}, fails its very next request.
 */
public final class TokenService {
  private static final String PREFIX = "amber_";

  /** Last use is kept to about this precision, so using a token is not a write per request. */
  static final Duration USE_PRECISION = Duration.ofMinutes(1);

  private static final int MAX_NAME = 100;

  private final CatalogStore store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public TokenService(CatalogStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** A token just made: its id, and its secret, which is shown this once and never stored. */
  public record NewToken(StoredToken token, String secret) {}

  /** A new unnamed token; the returned text is the only copy. */
  public String create(Scope scope) {
    return create(scope, null).secret();
  }

  /**
   * A new token.
   *
   * @param name what it is for, for people reading the list; may be null
   * @throws IllegalArgumentException when the name is too long or holds control characters
   */
  public NewToken create(Scope scope, String name) {
    checkName(name);
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String hash = hash(token);
    Instant now = clock.instant();
    String id = hash.substring(0, 16);
    store.saveToken(id, hash, scope, name, now);
    return new NewToken(new StoredToken(id, name, scope, now, null), token);
  }

  /** The scope of a presented token, or empty when it is not one of ours or was revoked. */
  public Optional<Scope> scopeOf(String token) {
    if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
      return Optional.empty();
    }
    Optional<StoredToken> found = store.findLiveToken(hash(token));
    found.ifPresent(this::noteUse);
    return found.map(StoredToken::scope);
  }

  /** Tokens that work, oldest first; never their secrets. */
  public List<StoredToken> list() {
    return store.listLiveTokens();
  }

  /** Ends a token at once; false when no live token has this id. */
  public boolean revoke(String id) {
    return id != null && store.revokeToken(id, clock.instant());
  }

  private void noteUse(StoredToken token) {
    Instant now = clock.instant();
    Instant since = now.minus(USE_PRECISION);
    if (token.lastUsedAt() == null || token.lastUsedAt().isBefore(since)) {
      store.recordTokenUse(token.id(), now, since);
    }
  }

  private static void checkName(String name) {
    if (name == null) {
      return;
    }
    if (name.isBlank() || name.length() > MAX_NAME) {
      throw new IllegalArgumentException("a token name has 1 to " + MAX_NAME + " characters");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a token name cannot hold control characters");
    }
  }

  private static String hash(String token) {
    return ContentDigest.of(token.getBytes(StandardCharsets.UTF_8)).hex();
  }
}
