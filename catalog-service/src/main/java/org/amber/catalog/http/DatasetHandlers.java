package org.amber.catalog.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.function.Supplier;
import org.amber.catalog.domain.DatasetService;
import org.amber.catalog.domain.VersionService;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Version;

/** {@code /v1/datasets}: define, list, show and delete datasets. */
final class DatasetHandlers {
  private final DatasetService datasets;
  private final VersionService versions;
  private final Supplier<String> publicUrl;
  private final long maxRequestBytes;

  DatasetHandlers(
      DatasetService datasets,
      VersionService versions,
      Supplier<String> publicUrl,
      long maxRequestBytes) {
    this.datasets = datasets;
    this.versions = versions;
    this.publicUrl = publicUrl;
    this.maxRequestBytes = maxRequestBytes;
  }

  void put(Context ctx) {
    String name = ctx.pathParam("name");
    DatasetService.requireName(name);
    DatasetRequest body = RequestReader.read(ctx, maxRequestBytes, false, DatasetRequest.class);
    DatasetService.Defined defined = datasets.define(name, body.spec());
    Json.send(ctx, defined.created() ? 201 : 200, show(defined.definition()));
    if (defined.created()) {
      ctx.header("Location", DatasetView.path(name));
    }
  }

  void get(Context ctx) {
    Json.send(ctx, 200, show(datasets.get(ctx.pathParam("name"))));
  }

  void list(Context ctx) {
    int limit = Paging.limit(ctx);
    String after = Paging.token(ctx);
    List<DatasetDefinition> page = datasets.list(after, limit + 1);
    List<DatasetView> items =
        page.subList(0, Math.min(limit, page.size())).stream()
            .map(d -> DatasetView.of(d, datasets.scheduleTimes(d)))
            .toList();
    Json.send(
        ctx,
        200,
        new DatasetPage(
            items, page.size() > limit ? Paging.encode(page.get(limit - 1).name()) : null));
  }

  void delete(Context ctx) {
    datasets.delete(ctx.pathParam("name"));
    ctx.status(204);
  }

  private DatasetResponse show(DatasetDefinition d) {
    Version latest = versions.findLatestCompleted(d.name()).orElse(null);
    return DatasetResponse.of(
        d,
        datasets.scheduleTimes(d),
        latest,
        latest == null ? null : versions.manifest(latest),
        publicUrl.get());
  }
}
