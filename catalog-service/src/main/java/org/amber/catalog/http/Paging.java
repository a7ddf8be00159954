package org.amber.catalog.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code limit} and opaque {@code page_token} query parameters of list endpoints. */
final class Paging {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private Paging() {}

  static int limit(Context ctx) {
    String text = ctx.queryParam("limit");
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw HttpProblem.badRequest("'limit' must be an integer from 1 to " + MAX_LIMIT);
  }

  /** The position the token encodes, or null for the first page. */
  static String token(Context ctx) {
    String token = ctx.queryParam("page_token");
    if (token == null || token.isEmpty()) {
      return null;
    }
    String position;
    try {
      position = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest("invalid 'page_token'");
    }
    // A token is made by the server but comes back from the client: what it decodes to is hostile.
    ClientText.check("page_token", position);
    return position;
  }

  static String encode(String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }
}
