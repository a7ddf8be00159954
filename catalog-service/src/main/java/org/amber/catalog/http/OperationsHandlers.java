package org.amber.catalog.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.amber.catalog.domain.CatalogMetrics;

/** {@code /healthz}, {@code /readyz}, {@code /metrics} and {@code /openapi.json}. */
final class OperationsHandlers {
  private final CatalogMetrics metrics;
  private final BooleanSupplier ready;
  private final byte[] openApi;
  private final List<String> warnings;

  /**
   * @param ready whether the catalog store answers and builds can be taken
   * @param warnings what an operator should know about a ready catalog (a writable source role)
   */
  OperationsHandlers(CatalogMetrics metrics, BooleanSupplier ready, List<String> warnings) {
    this.metrics = metrics;
    this.ready = ready;
    this.warnings = List.copyOf(warnings);
    try (InputStream in = OperationsHandlers.class.getResourceAsStream("/openapi.json")) {
      this.openApi = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("openapi.json is missing from the jar", e);
    }
  }

  /** The process is up and serving HTTP. */
  void health(Context ctx) {
    Json.send(ctx, 200, Json.object().put("status", "ok"));
  }

  /** The process can do its work: the catalog database answers. */
  void ready(Context ctx) {
    if (ready.getAsBoolean()) {
      ObjectNode body = Json.object().put("status", "ready");
      if (!warnings.isEmpty()) {
        ArrayNode list = body.putArray("warnings");
        warnings.forEach(list::add);
      }
      Json.send(ctx, 200, body);
    } else {
      Problems.send(
          ctx, 503, Problems.body(503, "Not ready", "the catalog database does not answer"));
    }
  }

  void metrics(Context ctx) {
    ctx.contentType(CatalogMetrics.CONTENT_TYPE).result(metrics.scrape());
  }

  void openApi(Context ctx) {
    ctx.contentType(Json.CONTENT_TYPE).result(openApi);
  }
}
