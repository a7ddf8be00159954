package org.amber.catalog.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.concurrent.CompletionException;
import org.amber.catalog.domain.model.CatalogException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every refusal and failure as RFC 9457 {@code application/problem+json}. Server faults are
 * logged with their stack trace and answered with an id to find it by, never with the trace.
 */
final class Problems {
  static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  private static final String TYPE_BASE = "https://amber.invalid/problems/";

  private Problems() {}

  static void write(Context ctx, Throwable thrown) {
    Throwable e = thrown;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof CatalogException) {
      CatalogException c = (CatalogException) e;
      int status;
      String title;
      switch (c.kind()) {
        case NOT_FOUND:
          status = 404;
          title = "Not found";
          break;
        case CONFLICT:
          status = 409;
          title = "Conflict";
          break;
        case GONE:
          status = 410;
          title = "Gone";
          break;
        default:
          status = 422;
          title = "Invalid request";
          break;
      }
      ObjectNode body = body(status, title, c.getMessage());
      if (c.part() != null) {
        body.put("field", RequestFieldNames.of(c.part()));
      }
      send(ctx, status, body);
    } else if (e instanceof InvalidField f) {
      send(ctx, 422, body(422, "Invalid request", f.getMessage()).put("field", f.field()));
    } else if (e instanceof HttpProblem) {
      HttpProblem p = (HttpProblem) e;
      if (p.status() == 401) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"amber\"");
      }
      send(ctx, p.status(), body(p.status(), p.title(), p.getMessage()));
    } else if (e instanceof HttpResponseException) {
      HttpResponseException h = (HttpResponseException) e;
      int status = h.getStatus();
      String detail = status == 413 ? "the request body is too large" : h.getMessage();
      send(ctx, status, body(status, reason(status), detail));
    } else {
      String id = Long.toHexString(System.nanoTime());
      LOG.error("request {} {} failed (error id {})", ctx.method(), ctx.path(), id, e);
      send(ctx, 500, body(500, "Internal server error", "the server failed; error id " + id));
    }
  }

  static void send(Context ctx, int status, ObjectNode body) {
    ctx.status(status).contentType(CONTENT_TYPE).result(Json.bytes(body));
  }

  static ObjectNode body(int status, String title, String detail) {
    ObjectNode body = Json.object();
    body.put("type", TYPE_BASE + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
    body.put("title", title);
    body.put("status", status);
    if (detail != null) {
      body.put("detail", detail);
    }
    return body;
  }

  /** A status's reason phrase in the sentence case of the other problem titles. */
  static String reason(int status) {
    switch (status) {
      case 400:
        return "Bad request";
      case 404:
        return "Not found";
      case 405:
        return "Method not allowed";
      case 413:
        return "Content too large";
      case 415:
        return "Unsupported media type";
      default:
        String phrase = org.eclipse.jetty.http.HttpStatus.getMessage(status);
        if (phrase == null || phrase.equals(Integer.toString(status))) {
          return status >= 500 ? "Server error" : "Client error";
        }
        StringBuilder title = new StringBuilder();
        for (String word : phrase.split(" ")) {
          boolean acronym = word.equals(word.toUpperCase(java.util.Locale.ROOT));
          title
              .append(
                  title.length() == 0 || acronym ? word : word.toLowerCase(java.util.Locale.ROOT))
              .append(' ');
        }
        return title.toString().trim();
    }
  }
}
