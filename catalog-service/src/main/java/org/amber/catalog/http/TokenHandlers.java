package org.amber.catalog.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Set;
import org.amber.catalog.domain.TokenService;
import org.amber.catalog.domain.model.CatalogException;
import org.amber.catalog.domain.model.Scope;
import org.amber.catalog.store.CatalogStore.StoredToken;

/** {@code /v1/tokens} (admin): list, create and revoke bearer tokens. */
final class TokenHandlers {
  private static final Set<String> CREATE_FIELDS = Set.of("scope", "name");

  private final TokenService tokens;
  private final long maxRequestBytes;

  TokenHandlers(TokenService tokens, long maxRequestBytes) {
    this.tokens = tokens;
    this.maxRequestBytes = maxRequestBytes;
  }

  void list(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("tokens");
    tokens.list().forEach(t -> items.add(view(t)));
    Json.send(ctx, 200, body);
  }

  /** 201 with the secret: the only time it is shown. */
  void create(Context ctx) {
    RequestBody body = RequestBody.read(ctx, maxRequestBytes, false, CREATE_FIELDS);
    String scopeKey = body.string("scope");
    if (scopeKey == null) {
      throw CatalogException.invalid("scope", "'scope' is required: read, write or admin");
    }
    Scope scope;
    try {
      scope = Scope.fromKey(scopeKey);
    } catch (IllegalArgumentException e) {
      throw CatalogException.invalid("scope", e.getMessage());
    }
    TokenService.NewToken created;
    try {
      created = tokens.create(scope, body.string("name"));
    } catch (IllegalArgumentException e) {
      throw CatalogException.invalid("name", e.getMessage());
    }
    ObjectNode view = view(created.token());
    view.put("token", created.secret());
    ctx.header("Location", "/v1/tokens/" + created.token().id());
    // The secret must not linger in any cache on the way.
    ctx.header("Cache-Control", "no-store");
    Json.send(ctx, 201, view);
  }

  void revoke(Context ctx) {
    String id = ctx.pathParam("id");
    if (!tokens.revoke(id)) {
      throw CatalogException.notFound("no live token with id '" + id + "'");
    }
    ctx.status(204);
  }

  private static ObjectNode view(StoredToken t) {
    ObjectNode node = Json.object();
    node.put("id", t.id());
    node.put("name", t.name());
    node.put("scope", t.scope().key());
    Json.putTime(node, "created_at", t.createdAt());
    Json.putTime(node, "last_used_at", t.lastUsedAt());
    return node;
  }
}
