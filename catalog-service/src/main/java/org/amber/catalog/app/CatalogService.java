package org.amber.catalog.app;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.amber.catalog.artifact.ArtifactStore;
import org.amber.catalog.artifact.GcsAccess;
import org.amber.catalog.build.BuildLauncher;
import org.amber.catalog.build.LocalProcessLauncher;
import org.amber.catalog.build.dataflow.DataflowLauncher;
import org.amber.catalog.domain.AccessPolicy;
import org.amber.catalog.domain.BuildScheduler;
import org.amber.catalog.domain.CatalogMetrics;
import org.amber.catalog.domain.DatasetService;
import org.amber.catalog.domain.LifecycleSweeper;
import org.amber.catalog.domain.SourceRegistry;
import org.amber.catalog.domain.SourceRoles;
import org.amber.catalog.domain.TokenService;
import org.amber.catalog.domain.VersionEvents;
import org.amber.catalog.domain.VersionService;
import org.amber.catalog.domain.model.Ttl;
import org.amber.catalog.domain.schedule.ScheduleChanges;
import org.amber.catalog.domain.schedule.TimetableScheduler;
import org.amber.catalog.http.HttpApi;
import org.amber.catalog.store.CachingCatalogStore;
import org.amber.catalog.store.CatalogDatabase;
import org.amber.catalog.store.CatalogStore;
import org.amber.catalog.store.PostgresCatalogStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running catalog: its database, build scheduler, lifecycle sweeper and HTTP server, wired
 * together and started in an order that lets nothing be lost across a restart (leftovers of the
 * last run are settled before requests are taken).
 */
public final class CatalogService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogService.class);

  /** Catalog connections: HTTP reads plus a few for builds and the sweeper. */
  private static final int POOL_SIZE = 16;

  /**
   * How often queued builds are looked for besides on each request, and ends the catalog database
   * missed are recorded again: what a build waits at most after an outage.
   */
  private static final Duration DISPATCH_INTERVAL = Duration.ofSeconds(2);

  /**
   * The longest the timetable scheduler sleeps without looking: how soon a schedule set through
   * another service instance is armed here. Runs themselves start on time regardless.
   */
  private static final Duration TIMETABLE_SAFETY_TICK = Duration.ofSeconds(30);

  private final CatalogDatabase database;
  private final BuildScheduler scheduler;
  private final LifecycleSweeper sweeper;
  private final TimetableScheduler timetables;
  private final ExecutorService waiters;
  private final TokenService tokens;
  private final Javalin http;

  private CatalogService(
      CatalogDatabase database,
      BuildScheduler scheduler,
      LifecycleSweeper sweeper,
      TimetableScheduler timetables,
      ExecutorService waiters,
      TokenService tokens,
      Javalin http) {
    this.database = database;
    this.scheduler = scheduler;
    this.sweeper = sweeper;
    this.timetables = timetables;
    this.waiters = waiters;
    this.tokens = tokens;
    this.http = http;
  }

  public static CatalogService start(CatalogConfig config) {
    return start(config, Clock.systemUTC());
  }

  /**
   * @param clock what the catalog takes the time from: timetables, TTLs, timestamps (a test's own
   *     clock; {@link #clockChanged} when it jumps)
   */
  public static CatalogService start(CatalogConfig config, Clock clock) {
    return start(config, clock, GcsAccess::fromEnvironment);
  }

  /**
   * @param gcs the Cloud Storage client of a {@code gs://} output root, asked for only then (a
   *     test's in-memory storage; else the environment's credentials)
   */
  public static CatalogService start(CatalogConfig config, Clock clock, Supplier<GcsAccess> gcs) {
    refuseDemoModeOffLoopback(config);
    refuseGraceWithinSignedUrlLife(config);
    // Before the database: a bad root or missing credentials end start-up in one line, at once.
    ArtifactStore artifacts = ArtifactStore.open(config.outputRoot(), config.signedUrlLife(), gcs);
    CatalogDatabase database = openDatabase(config);
    try {
      return start(config, database, artifacts, clock);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /**
   * A client redirected to a signed URL fetches the files after the catalog answered; deleting them
   * before that URL expires would break a download the catalog already allowed.
   */
  private static void refuseGraceWithinSignedUrlLife(CatalogConfig config) {
    if (config.outputRoot().startsWith("gs:")
        && config.deletionGrace().compareTo(config.signedUrlLife()) <= 0) {
      throw new IllegalArgumentException(
          "--deletion-grace ("
              + config.deletionGrace()
              + ") must be longer than --signed-url-life ("
              + config.signedUrlLife()
              + "): files must outlive the URLs handed out for them");
    }
  }

  /**
   * Demo mode lets anyone who reaches the port build and delete, so it is only allowed where nobody
   * but this machine can reach it.
   */
  private static void refuseDemoModeOffLoopback(CatalogConfig config) {
    if (config.demoMode() && !ListenAddress.isLoopback(config.host())) {
      throw new IllegalArgumentException(
          "demo mode (writes without a token) is refused on "
              + config.host()
              + ", which is not a loopback address: listen on 127.0.0.1 or set --demo-mode=false"
              + " and use tokens");
    }
  }

  public static CatalogDatabase openDatabase(CatalogConfig config) {
    return config.catalogUrl() == null
        ? CatalogDatabase.embedded(
            config.embeddedCatalogDir(), config.formerEmbeddedCatalogDir(), POOL_SIZE)
        : CatalogDatabase.external(config.catalogUrl(), config.catalogPassword(), POOL_SIZE);
  }

  private static CatalogService start(
      CatalogConfig config, CatalogDatabase database, ArtifactStore artifacts, Clock clock) {
    CatalogStore store = new CachingCatalogStore(new PostgresCatalogStore(database.dataSource()));
    VersionEvents events = new VersionEvents();
    CatalogMetrics metrics = new CatalogMetrics(store::countByStatus);
    SourceRegistry sources =
        new SourceRegistry(
            config.sources(),
            config.sourceStatementTimeouts(),
            config.statementTimeout(),
            System::getenv);
    // Before anything is served: a source whose role could write is refused (or accepted, loudly).
    SourceRoles roles = SourceRoles.checkAtStartUp(sources, config.allowWritableSources());
    List<String> sourceWarnings = roles.warnings();
    sourceWarnings.forEach(warning -> LOG.warn("{}", warning));
    BuildLauncher launcher = launcher(config, artifacts, clock);
    BuildScheduler scheduler =
        new BuildScheduler(
            store,
            launcher,
            sources,
            roles,
            artifacts,
            events,
            metrics,
            config.maxConcurrentBuilds(),
            clock);
    ScheduleChanges scheduleChanges = new ScheduleChanges();
    DatasetService datasets = new DatasetService(store, sources, roles, clock, scheduleChanges);
    ExecutorService waiters =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "version-waiters");
              t.setDaemon(true);
              return t;
            });
    VersionService versions =
        new VersionService(
            store, datasets, scheduler, events, waiters, clock, Ttl.parse(config.adHocTtl()));
    TokenService tokens = new TokenService(store, clock);
    AccessPolicy access = new AccessPolicy(tokens, config.publicRead(), config.demoMode());
    LifecycleSweeper sweeper =
        new LifecycleSweeper(store, artifacts, events, clock, config.deletionGrace());
    TimetableScheduler timetables =
        new TimetableScheduler(
            store, versions, events, scheduleChanges, clock, TIMETABLE_SAFETY_TICK);

    scheduler.recoverAfterRestart();
    // The listener's port is known once it is bound (port 0); the server exists before that.
    AtomicReference<Javalin> server = new AtomicReference<>();
    Supplier<String> publicUrl =
        config.publicUrl() != null
            ? config::publicUrl
            : () -> PublicUrl.ofListener(config.host(), server.get().port());
    HttpApi api =
        new HttpApi(
            new HttpApi.Services(
                datasets,
                versions,
                artifacts,
                access,
                tokens,
                metrics,
                store::isReachable,
                sourceWarnings,
                publicUrl),
            config.maxRequestBytes(),
            config.maxWait());
    Javalin http = api.create(config.host(), config.port());
    server.set(http);
    http.start();
    scheduler.dispatch();
    scheduler.start(DISPATCH_INTERVAL);
    sweeper.start(config.sweepInterval());
    timetables.start();
    LOG.info(
        "catalog listening on {}:{}; artifacts under {}; sources {}; {}",
        config.host(),
        http.port(),
        config.outputRoot(),
        sources.names(),
        config.demoMode() ? "demo mode: writes need no token" : "writes need a token");
    return new CatalogService(database, scheduler, sweeper, timetables, waiters, tokens, http);
  }

  private static BuildLauncher launcher(
      CatalogConfig config, ArtifactStore artifacts, Clock clock) {
    if (config.dataflow() == null) {
      return new LocalProcessLauncher(config.pipelinesJar(), config.buildHeap(), artifacts);
    }
    try {
      return DataflowLauncher.create(config.dataflow(), artifacts, clock);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** The port HTTP listens on (the chosen one when started with port 0). */
  public int port() {
    return http.port();
  }

  /** The endpoints served, as {@code METHOD /path}: what {@code /openapi.json} must describe. */
  List<String> endpoints() {
    return http.unsafe.internalRouter.allHttpHandlers().stream()
        .filter(e -> e.endpoint.method.isHttpMethod())
        .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
        .toList();
  }

  public TokenService tokens() {
    return tokens;
  }

  /** The clock jumped: timetables are looked at now rather than at the moment armed before. */
  public void clockChanged() {
    timetables.wake();
  }

  /** Runs one lifecycle pass now. */
  public void sweep() {
    sweeper.sweep();
  }

  @Override
  public void close() {
    http.stop();
    timetables.close();
    sweeper.close();
    scheduler.close();
    waiters.shutdownNow();
    database.close();
  }
}
