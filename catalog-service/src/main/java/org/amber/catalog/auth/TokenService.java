package org.amber.catalog.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.amber.artifacts.manifest.ContentDigest;
import org.amber.catalog.model.Scope;
import org.amber.catalog.store.CatalogStore;

/**
 * Bearer tokens: created with a scope, shown once, stored only as their SHA-256. A token is 32
 * random bytes, so a plain hash is as good as a slow one and checking it costs microseconds.
 */
public final class TokenService {
  private static final String PREFIX = "amber_";

  private final CatalogStore store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  /** Tokens are never changed once made, so a found one can be remembered. */
  private final Map<String, Scope> known = new ConcurrentHashMap<>();

  public TokenService(CatalogStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** A new token; the returned text is the only copy. */
  public String create(Scope scope) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String hash = hash(token);
    store.saveToken(hash.substring(0, 16), hash, scope, clock.instant());
    return token;
  }

  /** The scope of a presented token, or empty when it is not one of ours. */
  public Optional<Scope> scopeOf(String token) {
    if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
      return Optional.empty();
    }
    String hash = hash(token);
    Scope cached = known.get(hash);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Scope> scope = store.scopeOfToken(hash);
    scope.ifPresent(s -> known.put(hash, s));
    return scope;
  }

  private static String hash(String token) {
    return ContentDigest.of(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex();
  }
}
