package org.amber.catalog.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.SchemaChanges;
import org.amber.artifacts.manifest.SchemaField;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.catalog.domain.DatasetService;
import org.amber.catalog.domain.VersionService;
import org.amber.catalog.domain.model.BuildRequest;
import org.amber.catalog.domain.model.CatalogException;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.ReleaseNotes;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.domain.model.VersionChanges;
import org.amber.catalog.domain.model.VersionKey;
import org.amber.catalog.http.pages.ByteSize;
import org.amber.catalog.http.pages.JsonLd;
import org.amber.catalog.http.pages.PageAssets;
import org.amber.catalog.http.pages.PageRenderer;
import org.amber.catalog.http.pages.PageViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTML pages: {@code /} (the datasets, searchable), {@code /datasets/{name}} and the landing
 * page of a version, {@code /datasets/{name}/versions/{version}}, plus their stylesheet and script
 * under {@code /assets/}. Pages read through the same services and the same read policy as the API
 * and answer refusals as HTML pages too.
 */
final class PageHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(PageHandlers.class);
  private static final String HTML = "text/html; charset=utf-8";

  /**
   * Scripts only from the service's own files (the JSON-LD block is data, which no policy runs);
   * nothing from elsewhere, no plugins, no framing.
   */
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src"
          + " 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  /** At most this many datasets on {@code /}; a search narrows them. */
  private static final int LISTED = 200;

  /** A dataset page lists this many of its newest versions. */
  private static final int VERSIONS_LISTED = 100;

  private static final int QUERY_SHOWN = 2000;
  private static final int SEARCH_MAX = 200;

  private final DatasetService datasets;
  private final VersionService versions;
  private final PageAssets assets;
  private final PageRenderer renderer;
  private final Supplier<String> publicUrl;
  private final Consumer<Context> authorizeRead;

  /**
   * @param publicUrl the URL the catalog is reached at ({@code --public-url}, or the listener's),
   *     for the absolute URLs of JSON-LD and citations
   * @param authorizeRead refuses a request the read policy does not allow (throws)
   */
  PageHandlers(
      DatasetService datasets,
      VersionService versions,
      Supplier<String> publicUrl,
      Consumer<Context> authorizeRead) {
    this.datasets = datasets;
    this.versions = versions;
    this.assets = new PageAssets();
    this.renderer =
        new PageRenderer(assets, PageHandlers.class.getPackage().getImplementationVersion());
    this.publicUrl = publicUrl;
    this.authorizeRead = authorizeRead;
  }

  /** A browser asks for HTML first; a program that names JSON, or nothing, gets JSON. */
  static boolean wantsHtml(Context ctx) {
    String accept = ctx.header("Accept");
    return accept != null && accept.contains("text/html") && !accept.contains("application/json");
  }

  /** {@code /}: the datasets whose name or description contains {@code q}. */
  void datasets(Context ctx) {
    authorizeRead.accept(ctx);
    String q = ctx.queryParam("q");
    String query = q == null ? "" : q.strip();
    if (query.length() > SEARCH_MAX) {
      query = query.substring(0, SEARCH_MAX);
    }
    String needle = query.toLowerCase(Locale.ROOT);
    List<PageViews.DatasetRow> rows = new ArrayList<>();
    boolean truncated = false;
    String after = null;
    scan:
    while (true) {
      List<DatasetDefinition> page = datasets.list(after, 500);
      for (DatasetDefinition d : page) {
        if (needle.isEmpty() || contains(d.name(), needle) || contains(d.description(), needle)) {
          if (rows.size() == LISTED) {
            truncated = true;
            break scan;
          }
          String latest =
              versions
                  .findLatestCompleted(d.name())
                  .map(v -> "version " + v.number() + ", " + Json.time(v.finishedAt()))
                  .orElse(null);
          rows.add(new PageViews.DatasetRow(d.name(), pagePath(d.name()), d.description(), latest));
        }
      }
      if (page.size() < 500) {
        break;
      }
      after = page.get(page.size() - 1).name();
    }
    send(
        ctx,
        200,
        "datasets",
        query.isEmpty() ? "Datasets" : "Datasets matching " + query,
        new PageViews.DatasetsView(query, rows, truncated));
  }

  private static boolean contains(String text, String needle) {
    return text != null && text.toLowerCase(Locale.ROOT).contains(needle);
  }

  /** {@code /datasets/{name}}. */
  void dataset(Context ctx) {
    String name = ctx.pathParam("name");
    DatasetDefinition d = datasets.get(name);
    BuildRequest b = d.build();
    List<PageViews.VersionRow> rows = new ArrayList<>();
    for (Version v : versions.list(name, null, VERSIONS_LISTED)) {
      Manifest m = versions.manifest(v);
      rows.add(
          new PageViews.VersionRow(
              v.number(),
              pagePath(name) + "/versions/" + v.number(),
              v.status().name(),
              Json.time(v.finishedAt() != null ? v.finishedAt() : v.createdAt()),
              m == null ? "" : String.format(Locale.ROOT, "%,d", m.rowCount()),
              v.contentDigest() == null ? "" : v.contentDigest()));
    }
    String query = b.query();
    if (query != null && query.length() > QUERY_SHOWN) {
      query = query.substring(0, QUERY_SHOWN) + "\n…";
    }
    send(
        ctx,
        200,
        "dataset",
        name,
        new PageViews.DatasetView(
            name,
            d.description(),
            creators(d),
            d.license(),
            b.source(),
            query,
            b.query() != null ? null : b.table(),
            b.formats(),
            b.partitionColumn(),
            d.schedule() == null
                ? null
                : "cron "
                    + d.schedule().cron()
                    + ", keeping the last "
                    + d.schedule().keepLast()
                    + " versions",
            d.defaultTtl() == null ? null : d.defaultTtl().toString(),
            DatasetView.path(name),
            rows));
  }

  /** {@code /datasets/{name}/versions/{version}}: the landing page a citation points at. */
  void version(Context ctx) {
    VersionKey key = VersionHandlers.key(ctx);
    Version v = versions.get(key);
    DatasetDefinition d = definitionOrNull(key.dataset());
    Manifest m = versions.manifest(v);
    String name = v.dataset();
    String page = pagePath(name) + "/versions/" + v.number();
    String api = VersionResponse.path(name, v.number());
    String base = publicUrl.get();
    boolean tombstone = v.status().isTombstone();

    List<PageViews.FieldView> schema = new ArrayList<>();
    List<PageViews.FileView> files = new ArrayList<>();
    List<PageViews.DownloadView> downloads = new ArrayList<>();
    List<JsonLd.Distribution> distributions = new ArrayList<>();
    if (m != null) {
      for (SchemaField f : m.schema()) {
        schema.add(new PageViews.FieldView(f.name(), f.type(), f.nullable(), f.sourceType()));
      }
      for (Map.Entry<String, FormatFiles> format : m.formats().entrySet()) {
        for (ShardFile f : format.getValue().files()) {
          files.add(
              new PageViews.FileView(
                  format.getKey(),
                  f.path(),
                  api + "/files/" + f.path(),
                  ByteSize.human(f.bytes()),
                  f.bytes(),
                  f.sha256()));
        }
        String fileName = name + "." + format.getKey();
        String url = api + "/download/" + fileName;
        if (!tombstone) {
          downloads.add(new PageViews.DownloadView(format.getKey(), fileName, url));
        }
        distributions.add(
            new JsonLd.Distribution(
                base + url,
                mediaType(format.getKey()),
                // The shards' total: the one-file download differs by a header or a footer.
                ByteSize.human(format.getValue().bytes())));
      }
    }
    List<PageViews.CreatorView> creators = d == null ? List.of() : creators(d);
    String jsonLd =
        m == null
            ? null
            : JsonLd.of(
                new JsonLd.DatasetFacts(
                    name,
                    d == null ? null : d.description(),
                    v.number(),
                    creators,
                    d == null ? null : d.license(),
                    Json.time(v.finishedAt()),
                    v.contentDigest(),
                    base + page,
                    tombstone ? List.of() : distributions));
    PageViews.VersionView view =
        new PageViews.VersionView(
            name,
            v.number(),
            pagePath(name),
            page,
            api,
            v.status().name(),
            v.status().isActive(),
            tombstone,
            new PageViews.ProgressView(
                v.progress().partitionsDone(),
                v.progress().partitionsTotal(),
                String.format(Locale.ROOT, "%,d", v.progress().rows())),
            d == null ? null : d.description(),
            creators,
            d == null ? null : d.license(),
            Json.time(v.createdAt()),
            Json.time(v.finishedAt()),
            Json.time(v.expiresAt()),
            v.pinned(),
            v.contentDigest(),
            m == null ? null : String.format(Locale.ROOT, "%,d", m.rowCount()),
            v.error() == null ? null : v.error().type(),
            v.error() == null ? null : v.error().message(),
            PageCitations.of(v, d, base),
            schema,
            files,
            downloads,
            api + "/SHA256SUMS",
            api + "/manifest.json",
            jsonLd,
            changes(v));
    send(ctx, tombstone ? 410 : 200, "version", name + ", version " + v.number(), view);
  }

  /** The landing page's "Changes" section, from the release notes recorded at completion. */
  private static PageViews.ChangesView changes(Version v) {
    ReleaseNotes notes = v.releaseNotes();
    if (notes == null || notes.comparedWith() == null) {
      return null;
    }
    VersionChanges c = notes.changes();
    boolean counted = c != null && c.available();
    SchemaChanges schema = notes.schemaChanges();
    return new PageViews.ChangesView(
        notes.comparedWith(),
        pagePath(v.dataset()) + "/versions/" + notes.comparedWith(),
        v.unchanged(),
        counted,
        counted ? c.key() : null,
        counted ? count(c.added()) : null,
        counted ? count(c.removed()) : null,
        counted ? count(c.changed()) : null,
        c == null ? "this build was not compared by key" : c.reason(),
        notes.rowsDelta() == null ? null : String.format(Locale.ROOT, "%+,d", notes.rowsDelta()),
        schema == null ? List.of() : schema.added(),
        schema == null ? List.of() : schema.removed(),
        schema == null
            ? List.of()
            : schema.retyped().stream()
                .map(r -> r.name() + " (" + r.from() + " → " + r.to() + ")")
                .toList());
  }

  private static String count(Long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code /assets/{asset}}: the pages' stylesheet and script, named by their digest. */
  void asset(Context ctx) {
    PageAssets.Asset asset =
        assets
            .find(ctx.pathParam("asset"))
            .orElseThrow(() -> new HttpProblem(404, "Not found", "no such file under /assets/"));
    ctx.header("Cache-Control", "public, max-age=31536000, immutable");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.contentType(asset.contentType()).result(asset.bytes());
  }

  /** A refusal or failure of a page request, as a page. */
  void error(Context ctx, Throwable thrown) {
    Throwable e = thrown;
    while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    int status;
    String message = e.getMessage();
    if (e instanceof CatalogException c) {
      status =
          switch (c.kind()) {
            case NOT_FOUND -> 404;
            case GONE -> 410;
            case CONFLICT -> 409;
            case INVALID -> 400;
          };
    } else if (e instanceof HttpProblem p) {
      status = p.status();
      if (status == 401) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"amber\"");
        message = "This catalog requires a token for reads.";
      }
    } else if (e instanceof InvalidField) {
      status = 400;
    } else {
      String id = Long.toHexString(System.nanoTime());
      LOG.error("page {} {} failed (error id {})", ctx.method(), ctx.path(), id, e);
      status = 500;
      message = "The server failed; error id " + id + ".";
    }
    String title = Problems.reason(status);
    send(ctx, status, "error", title, new PageViews.ErrorView(status, title, message));
  }

  private void send(Context ctx, int status, String template, String title, Object view) {
    String html = renderer.render(template, title, view);
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "same-origin");
    // A page shows a build's current state: a browser asks again rather than reuse a copy.
    ctx.header("Cache-Control", "no-cache");
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    // Said up front, so that a page larger than the server's buffer is not sent chunked and HEAD
    // (which renders the same page) answers the same length.
    ctx.header("Content-Length", Integer.toString(body.length));
    ctx.status(status).contentType(HTML).result(body);
  }

  private static String pagePath(String name) {
    return "/datasets/" + name;
  }

  private static List<PageViews.CreatorView> creators(DatasetDefinition d) {
    return d.creators().stream()
        .map(c -> new PageViews.CreatorView(c.name(), c.affiliation(), c.identifier()))
        .toList();
  }

  private static String mediaType(String format) {
    return switch (format) {
      case "parquet" -> "application/vnd.apache.parquet";
      case "csv.gz", "ndjson.gz" -> "application/gzip";
      default -> "application/octet-stream";
    };
  }

  private DatasetDefinition definitionOrNull(String name) {
    try {
      return datasets.get(name);
    } catch (CatalogException gone) {
      return null;
    }
  }
}
