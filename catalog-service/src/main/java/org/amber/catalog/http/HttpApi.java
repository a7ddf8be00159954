package org.amber.catalog.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.amber.catalog.artifact.ArtifactStore;
import org.amber.catalog.domain.AccessPolicy;
import org.amber.catalog.domain.CatalogMetrics;
import org.amber.catalog.domain.DatasetService;
import org.amber.catalog.domain.TokenService;
import org.amber.catalog.domain.VersionService;
import org.amber.catalog.domain.model.Scope;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP API of {@code api.md} on Javalin: the route table, authentication by bearer token,
 * latency metrics, and problem+json for every refusal. Handlers only translate between HTTP and the
 * domain services.
 */
public final class HttpApi {
  private static final String STARTED_AT = "amber.startedAt";

  /** Set on a request a page answers, so that its refusals are pages too, not problem+json. */
  private static final String PAGE = "amber.page";

  private static final String DATASET_PAGE = "/datasets/{name}";
  private static final String VERSION_PAGE = DATASET_PAGE + "/versions/{version}";

  private final List<Route> routes;
  private final AccessPolicy access;
  private final CatalogMetrics metrics;
  private final long maxRequestBytes;
  private final PageHandlers pages;
  private final ArtifactResponse downloads;

  /**
   * Downloads stream with blocking writes, one thread each while the client reads; at most this
   * many at once, and the thread pool has {@link #API_THREADS} more, so API calls always find a
   * thread however many downloads run (a download beyond the limit is answered 503 with
   * Retry-After).
   */
  static final int MAX_DOWNLOADS = 256;

  /** Threads beyond the downloads': Jetty's acceptors and selectors and the API's requests. */
  static final int API_THREADS = 64;

  /** What the API needs from the rest of the service. */
  public record Services(
      DatasetService datasets,
      VersionService versions,
      ArtifactStore artifacts,
      AccessPolicy access,
      TokenService tokens,
      CatalogMetrics metrics,
      BooleanSupplier ready,
      List<String> warnings,
      Supplier<String> publicUrl) {
    /**
     * @param warnings what {@code /readyz} tells operators, e.g. a source whose role can write
     * @param publicUrl the service's external base URL ({@code --public-url}, or the listener's),
     *     without a trailing slash: what citations link to
     */
    public Services {
      warnings = List.copyOf(warnings);
    }
  }

  public HttpApi(Services services, long maxRequestBytes, Duration maxWait) {
    this.access = services.access();
    this.metrics = services.metrics();
    this.maxRequestBytes = maxRequestBytes;
    DatasetHandlers datasets =
        new DatasetHandlers(
            services.datasets(), services.versions(), services.publicUrl(), maxRequestBytes);
    VersionHandlers versions =
        new VersionHandlers(
            services.versions(),
            services.datasets(),
            services.publicUrl(),
            maxRequestBytes,
            maxWait);
    downloads = new ArtifactResponse(MAX_DOWNLOADS);
    ArtifactHandlers artifacts =
        new ArtifactHandlers(services.versions(), services.artifacts(), downloads);
    OperationsHandlers operations =
        new OperationsHandlers(services.metrics(), services.ready(), services.warnings());
    TokenHandlers tokens = new TokenHandlers(services.tokens(), maxRequestBytes);
    DocsHandlers docs = new DocsHandlers();
    pages =
        new PageHandlers(
            services.datasets(),
            services.versions(),
            services.publicUrl(),
            ctx -> authorize(ctx, Scope.READ));
    String dataset = "/v1/datasets/{name}";
    String version = dataset + "/versions/{version}";
    List<Route> table =
        List.of(
            new Route(HandlerType.GET, "/v1/datasets", Scope.READ, datasets::list),
            new Route(HandlerType.PUT, dataset, Scope.WRITE, datasets::put),
            new Route(HandlerType.GET, dataset, Scope.READ, datasets::get),
            new Route(HandlerType.DELETE, dataset, Scope.ADMIN, datasets::delete),
            new Route(HandlerType.POST, dataset + "/versions", Scope.WRITE, versions::start),
            new Route(HandlerType.GET, dataset + "/versions", Scope.READ, versions::list),
            new Route(HandlerType.GET, dataset + "/latest", Scope.READ, versions::latest),
            new Route(HandlerType.GET, dataset + "/latest/<rest>", Scope.READ, versions::latest),
            new Route(HandlerType.POST, "/v1/materialise", Scope.WRITE, versions::materialise),
            new Route(HandlerType.GET, version, Scope.READ, versions::get),
            new Route(HandlerType.PATCH, version, Scope.WRITE, versions::patch),
            new Route(HandlerType.DELETE, version, Scope.ADMIN, versions::delete),
            new Route(HandlerType.POST, version + ":cancel", Scope.WRITE, versions::cancel),
            new Route(HandlerType.PUT, version + "/pin", Scope.WRITE, versions::pin),
            new Route(HandlerType.DELETE, version + "/pin", Scope.WRITE, versions::unpin),
            new Route(HandlerType.GET, version + "/citation", Scope.READ, versions::citation),
            new Route(HandlerType.GET, version + "/manifest.json", Scope.READ, artifacts::manifest),
            new Route(HandlerType.GET, version + "/files/<path>", Scope.READ, artifacts::file),
            new Route(
                HandlerType.GET, version + "/download/{file}", Scope.READ, artifacts::download),
            new Route(
                HandlerType.GET,
                version + "/" + ArtifactHandlers.SHA256SUMS,
                Scope.READ,
                artifacts::sha256sums),
            new Route(HandlerType.GET, "/v1/tokens", Scope.ADMIN, tokens::list),
            new Route(HandlerType.POST, "/v1/tokens", Scope.ADMIN, tokens::create),
            new Route(HandlerType.DELETE, "/v1/tokens/{id}", Scope.ADMIN, tokens::revoke),
            new Route(HandlerType.GET, "/healthz", null, operations::health),
            new Route(HandlerType.GET, "/readyz", null, operations::ready),
            new Route(HandlerType.GET, "/metrics", null, operations::metrics),
            new Route(HandlerType.GET, "/openapi.json", null, operations::openApi),
            new Route(HandlerType.GET, "/", null, ctx -> index(ctx, docs)),
            new Route(HandlerType.GET, DATASET_PAGE, Scope.READ, pages::dataset),
            new Route(HandlerType.GET, VERSION_PAGE, Scope.READ, pages::version),
            new Route(HandlerType.GET, "/assets/{asset}", null, pages::asset),
            new Route(HandlerType.GET, "/docs", null, docs::docs),
            new Route(HandlerType.GET, "/docs/{asset}", null, docs::asset));
    routes = withHead(table);
  }

  /**
   * {@code /}: the datasets page for a browser, which asks for HTML and not for JSON; the JSON
   * index of links for a program (a client naming both gets JSON, the answer it can surely read).
   */
  private void index(Context ctx, DocsHandlers docs) {
    ctx.header("Vary", "Accept");
    if (PageHandlers.wantsHtml(ctx)) {
      ctx.attribute(PAGE, true);
      pages.datasets(ctx);
    } else {
      docs.index(ctx);
    }
  }

  /**
   * Every GET route also answers HEAD through the same handler (auth, lookup, status, headers);
   * Jetty drops the body. Left to itself, Javalin answers HEAD 200 without running anything.
   */
  private static List<Route> withHead(List<Route> table) {
    List<Route> all = new ArrayList<>(table);
    for (Route route : table) {
      if (route.method() == HandlerType.GET) {
        all.add(new Route(HandlerType.HEAD, route.path(), route.scope(), route.handler()));
      }
    }
    return List.copyOf(all);
  }

  /** A server for these routes, not yet started. */
  public Javalin create(String host, int port) {
    return Javalin.create(
        config -> {
          config.jetty.host = host;
          config.jetty.port = port;
          QueuedThreadPool threads = new QueuedThreadPool(MAX_DOWNLOADS + API_THREADS, 8);
          threads.setName("http");
          config.jetty.threadPool = threads;
          config.http.maxRequestSize = maxRequestBytes;
          config.startup.showJavalinBanner = false;
          // Errors Jetty answers itself: before Javalin (the server's handler) and, should one
          // escape Javalin, in the servlet context (whose default would write HTML).
          config.jetty.modifyServer(server -> server.setErrorHandler(new JettyProblems()));
          config.jetty.modifyServletContextHandler(
              context -> context.setErrorHandler(new JettyProblems()));
          config.routes.before(ctx -> ctx.attribute(STARTED_AT, System.nanoTime()));
          config.routes.after(this::observe);
          for (Route route : routes) {
            config.routes.addHttpHandler(route.method(), route.path(), guarded(route));
          }
          config.routes.exception(
              Exception.class,
              (e, ctx) -> {
                if (Boolean.TRUE.equals(ctx.attribute(PAGE))) {
                  pages.error(ctx, e);
                } else {
                  Problems.write(ctx, e);
                }
              });
          config.routes.error(
              404,
              ctx -> {
                if (ctx.endpoints().lastHttpEndpoint() == null) {
                  // HEAD is GET without the body: the same body length, so the same words.
                  HandlerType method =
                      ctx.method() == HandlerType.HEAD ? HandlerType.GET : ctx.method();
                  Problems.send(
                      ctx,
                      404,
                      Problems.body(404, "Not found", "no endpoint " + method + " " + ctx.path()));
                }
              });
        });
  }

  private Handler guarded(Route route) {
    boolean page = route.path().equals(DATASET_PAGE) || route.path().equals(VERSION_PAGE);
    return ctx -> {
      if (page) {
        ctx.attribute(PAGE, true);
      }
      if (route.scope() != null) {
        authorize(ctx, route.scope());
      }
      checkParameters(ctx);
      route.handler().handle(ctx);
    };
  }

  private void authorize(Context ctx, Scope needed) {
    switch (access.decide(needed, bearerToken(ctx))) {
      case UNAUTHENTICATED:
        throw new HttpProblem(
            401,
            "Unauthorized",
            "this needs a bearer token with scope '"
                + needed.key()
                + "' (Authorization: Bearer …)");
      case FORBIDDEN:
        throw new HttpProblem(
            403,
            "Forbidden",
            "this token's scope does not allow it; it needs '" + needed.key() + "'");
      default:
        break;
    }
  }

  /** Path and query parameters are client text like any other; refused here, once, for all. */
  private static void checkParameters(Context ctx) {
    ctx.pathParamMap().forEach(ClientText::check);
    ctx.queryParamMap()
        .forEach(
            (name, values) -> {
              ClientText.check("query parameter name", name);
              values.forEach(value -> ClientText.check(name, value));
            });
  }

  private static String bearerToken(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      return null;
    }
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    throw new HttpProblem(
        401, "Unauthorized", "only 'Authorization: Bearer <token>' is understood");
  }

  private void observe(Context ctx) {
    Long started = ctx.attribute(STARTED_AT);
    Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
    if (started != null) {
      String route =
          endpoint == null || endpoint.method != ctx.method() ? "unmatched" : endpoint.path;
      metrics.httpRequest(
          ctx.method().name(), route, ctx.statusCode(), System.nanoTime() - started);
    }
  }
}
