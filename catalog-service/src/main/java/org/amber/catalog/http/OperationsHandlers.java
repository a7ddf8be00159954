package org.amber.catalog.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import org.amber.catalog.metrics.CatalogMetrics;

/** {@code /healthz}, {@code /readyz}, {@code /metrics} and {@code /openapi.json}. */
final class OperationsHandlers {
  private final CatalogMetrics metrics;
  private final BooleanSupplier ready;
  private final byte[] openApi;

  /** @param ready whether the catalog store answers and builds can be taken */
  OperationsHandlers(CatalogMetrics metrics, BooleanSupplier ready) {
    this.metrics = metrics;
    this.ready = ready;
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
      Json.send(ctx, 200, Json.object().put("status", "ready"));
    } else {
      Problems.send(ctx, 503, Problems.body(503, "Not ready", "the catalog database does not answer"));
    }
  }

  void metrics(Context ctx) {
    ctx.contentType(CatalogMetrics.CONTENT_TYPE).result(metrics.scrape());
  }

  void openApi(Context ctx) {
    ctx.contentType(Json.CONTENT_TYPE).result(openApi);
  }
}
