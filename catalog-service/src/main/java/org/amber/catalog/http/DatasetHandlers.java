package org.amber.catalog.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.amber.catalog.domain.DatasetService;
import org.amber.catalog.domain.DatasetSpec;
import org.amber.catalog.domain.VersionService;
import org.amber.catalog.domain.model.CatalogException;
import org.amber.catalog.domain.model.DatasetDefinition;

/** {@code /v1/datasets}: define, list, show and delete datasets. */
final class DatasetHandlers {
  static final Set<String> BUILD_FIELDS =
      Set.of("source", "query", "table", "formats", "partition_column", "partitions");
  private static final Set<String> DEFINITION_FIELDS =
      union(BUILD_FIELDS, Set.of("default_ttl", "description", "creators", "license", "schedule"));

  private final DatasetService datasets;
  private final VersionService versions;
  private final Views views;
  private final long maxRequestBytes;

  DatasetHandlers(
      DatasetService datasets, VersionService versions, Views views, long maxRequestBytes) {
    this.datasets = datasets;
    this.versions = versions;
    this.views = views;
    this.maxRequestBytes = maxRequestBytes;
  }

  void put(Context ctx) {
    String name = ctx.pathParam("name");
    DatasetService.requireName(name);
    RequestBody body = RequestBody.read(ctx, maxRequestBytes, false, DEFINITION_FIELDS);
    DatasetService.Defined defined = datasets.define(name, spec(body));
    Json.send(ctx, defined.created() ? 201 : 200, show(defined.definition()));
    if (defined.created()) {
      ctx.header("Location", Views.datasetPath(name));
    }
  }

  void get(Context ctx) {
    Json.send(ctx, 200, show(datasets.get(ctx.pathParam("name"))));
  }

  void list(Context ctx) {
    int limit = Paging.limit(ctx);
    String after = Paging.token(ctx);
    List<DatasetDefinition> page = datasets.list(after, limit + 1);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("datasets");
    for (DatasetDefinition d : page.subList(0, Math.min(limit, page.size()))) {
      // Definitions only: the latest version of each is one GET away.
      ObjectNode item = views.dataset(d, null);
      item.remove("latest");
      items.add(item);
    }
    body.put(
        "next_page_token", page.size() > limit ? Paging.encode(page.get(limit - 1).name()) : null);
    Json.send(ctx, 200, body);
  }

  void delete(Context ctx) {
    datasets.delete(ctx.pathParam("name"));
    ctx.status(204);
  }

  private ObjectNode show(DatasetDefinition d) {
    return views.dataset(d, versions.findLatestCompleted(d.name()).orElse(null));
  }

  /** The build fields shared by a definition and an ad-hoc request, plus the definition's own. */
  static DatasetSpec spec(RequestBody body) {
    DatasetSpec.ScheduleSpec schedule = null;
    JsonNode s = body.object("schedule");
    if (s != null) {
      JsonNode keep = s.get("keep_last");
      if (keep != null && !keep.isNull() && !(keep.isIntegralNumber() && keep.canConvertToInt())) {
        throw CatalogException.invalid("schedule.keep_last", "'keep_last' must be an integer");
      }
      schedule =
          new DatasetSpec.ScheduleSpec(
              RequestBody.string(s, "cron", "schedule.cron"),
              keep == null || keep.isNull() ? null : keep.intValue());
    }
    return new DatasetSpec(
        body.string("source"),
        body.string("query"),
        body.string("table"),
        body.stringList("formats"),
        body.string("partition_column"),
        body.integer("partitions"),
        body.string("default_ttl"),
        body.string("description"),
        creators(body.array("creators")),
        body.string("license"),
        schedule);
  }

  private static List<DatasetDefinition.Creator> creators(JsonNode array) {
    if (array == null) {
      return null;
    }
    List<DatasetDefinition.Creator> creators = new ArrayList<>();
    for (JsonNode c : array) {
      if (c.isTextual()) {
        creators.add(new DatasetDefinition.Creator(c.asText(), null, null));
      } else if (c.isObject()) {
        creators.add(
            new DatasetDefinition.Creator(
                RequestBody.string(c, "name", "creators.name"),
                RequestBody.string(c, "affiliation", "creators.affiliation"),
                RequestBody.string(c, "identifier", "creators.identifier")));
      } else {
        throw CatalogException.invalid(
            "creators", "each creator is a name or an object with a name");
      }
    }
    return creators;
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    java.util.Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
