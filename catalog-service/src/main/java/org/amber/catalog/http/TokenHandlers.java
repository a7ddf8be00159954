package org.amber.catalog.http;

import io.javalin.http.Context;
import org.amber.catalog.domain.TokenService;
import org.amber.catalog.domain.model.CatalogException;
import org.amber.catalog.domain.model.Scope;

/** {@code /v1/tokens} (admin): list, create and revoke bearer tokens. */
final class TokenHandlers {
  private final TokenService tokens;
  private final long maxRequestBytes;

  TokenHandlers(TokenService tokens, long maxRequestBytes) {
    this.tokens = tokens;
    this.maxRequestBytes = maxRequestBytes;
  }

  void list(Context ctx) {
    Json.send(
        ctx,
        200,
        new TokenResponse.TokenList(
            tokens.list().stream().map(t -> TokenResponse.of(t, null)).toList()));
  }

  /** 201 with the secret: the only time it is shown. */
  void create(Context ctx) {
    TokenRequest body = RequestReader.read(ctx, maxRequestBytes, false, TokenRequest.class);
    String scopeKey = body.scope();
    if (scopeKey == null) {
      throw new InvalidField("scope", "'scope' is required: read, write or admin");
    }
    Scope scope;
    try {
      scope = Scope.fromKey(scopeKey);
    } catch (IllegalArgumentException e) {
      throw new InvalidField("scope", e.getMessage());
    }
    TokenService.NewToken created;
    try {
      created = tokens.create(scope, body.name());
    } catch (IllegalArgumentException e) {
      throw new InvalidField("name", e.getMessage());
    }
    ctx.header("Location", "/v1/tokens/" + created.token().id());
    // The secret must not linger in any cache on the way.
    ctx.header("Cache-Control", "no-store");
    Json.send(ctx, 201, TokenResponse.of(created.token(), created.secret()));
  }

  void revoke(Context ctx) {
    String id = ctx.pathParam("id");
    if (!tokens.revoke(id)) {
      throw CatalogException.notFound("no live token with id '" + id + "'");
    }
    ctx.status(204);
  }
}
