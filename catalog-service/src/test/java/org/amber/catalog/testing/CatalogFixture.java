package org.amber.catalog.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.amber.catalog.app.CatalogConfig;
import org.amber.catalog.app.CatalogService;
import org.amber.catalog.artifact.GcsAccess;
import org.amber.testsupport.TestPostgres;

/**
 * A catalog service for a test: its own catalog database on the test PostgreSQL, its own output
 * root, a source database, listening on an ephemeral port. Restartable on the same catalog and
 * files.
 */
public final class CatalogFixture implements AutoCloseable {
  public static final String SOURCE = "src";

  private final CatalogConfig config;
  private final String sourceUrl;
  private final Clock clock;
  private CatalogService service;

  private CatalogFixture(CatalogConfig config, String sourceUrl, Clock clock) {
    this.config = config;
    this.sourceUrl = sourceUrl;
    this.clock = clock;
    this.service = startService();
  }

  private CatalogService startService() {
    CatalogService started = CatalogService.start(config, clock);
    if (clock instanceof MutableClock) {
      ((MutableClock) clock).onSet(started::clockChanged);
    }
    return started;
  }

  /**
   * @param tweak changes the test defaults (demo mode, public reads, one build at a time…)
   */
  public static CatalogFixture start(UnaryOperator<CatalogConfig> tweak) throws Exception {
    return start(tweak, Clock.systemUTC());
  }

  /**
   * @param clock the services' clock; a {@link MutableClock} wakes their timetables when set
   */
  public static CatalogFixture start(UnaryOperator<CatalogConfig> tweak, Clock clock)
      throws Exception {
    String catalogUrl = TestPostgres.freshDatabase("catalog");
    String sourceUrl = TestPostgres.freshDatabase("source");
    Path root = Files.createTempDirectory("amber-catalog-test");
    CatalogConfig defaults =
        CatalogConfig.builder()
            .port(0)
            .dataDir(root)
            .outputRoot(root.resolve("artifacts").toUri().toString())
            .catalogUrl(catalogUrl)
            .sources(Map.of(SOURCE, TestPostgres.readerUrl(sourceUrl)))
            .demoMode(true)
            .pipelinesJar(pipelinesJar())
            .buildHeap("256m")
            // The tests run the sweeper themselves, at the moments they choose.
            .sweepInterval(Duration.ofHours(1))
            .maxWait(Duration.ofSeconds(120))
            .maxRequestBytes(64 * 1024)
            .build();
    return new CatalogFixture(tweak.apply(defaults), sourceUrl, clock);
  }

  /**
   * A role that can only read the source database, as {@code serve} demands at start-up (roles are
   * cluster-wide: named after the database); the tests load data as the superuser.
   */
  public static Path pipelinesJar() {
    return Path.of(
        System.getProperty("amber.pipelines.jar", "../pipelines/target/amber-pipelines.jar"));
  }

  public Api api() {
    return new Api(service.port(), null);
  }

  public Api api(String token) {
    return new Api(service.port(), token);
  }

  public CatalogService service() {
    return service;
  }

  public CatalogConfig config() {
    return config;
  }

  /** The source database's superuser JDBC URL, for loading test data. */
  public String sourceUrl() {
    return sourceUrl;
  }

  /** The artifact root as a path. */
  public Path outputRoot() {
    return Path.of(java.net.URI.create(config.outputRoot()));
  }

  /** Stops the service and starts a new one on the same catalog and files. */
  public void restart() {
    service.close();
    service = startService();
  }

  /** Stops the service; {@link #resume} starts a new one (on the same catalog, files and clock). */
  public void stop() {
    service.close();
  }

  public void resume() {
    service = startService();
  }

  /**
   * A second service instance on the same catalog database, files and clock, on its own port: the
   * caller closes it.
   */
  public CatalogService startAnother() {
    return startService();
  }

  /**
   * Another service instance on the same catalog database and clock, with changed settings and the
   * Cloud Storage client a {@code gs://} output root uses: the caller closes it.
   */
  public CatalogService startAnother(UnaryOperator<CatalogConfig> tweak, Supplier<GcsAccess> gcs) {
    return CatalogService.start(tweak.apply(config), clock, gcs);
  }

  @Override
  public void close() {
    service.close();
  }
}
