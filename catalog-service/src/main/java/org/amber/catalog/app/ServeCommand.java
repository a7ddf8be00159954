package org.amber.catalog.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code amber serve}: runs the catalog until stopped (SIGTERM or Ctrl-C). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = CatalogCli.JarVersion.class,
    description = {
      "Starts the catalog service (HTTP API).",
      "Every option may also come from the environment as AMBER_<OPTION> (e.g."
          + " AMBER_MAX_CONCURRENT_BUILDS) or from --config FILE (Java properties, option names"
          + " as keys; sources as source.NAME=JDBC_URL). Sources may also come from AMBER_SOURCES"
          + " ('name=url name=url'). Source passwords: AMBER_SOURCE_<NAME>_PASSWORD. External"
          + " catalog password: AMBER_CATALOG_PASSWORD. A source's own statement timeout in the"
          + " file: source.NAME.statement-timeout=PT30M.",
      "At start-up every PostgreSQL source's role is checked: one that could write (superuser,"
          + " REPLICATION, BYPASSRLS, the pg_*_server_files/program roles, INSERT/UPDATE/DELETE/"
          + "TRUNCATE on any table) is refused unless named by --allow-writable-source."
    },
    footer = {
      "",
      "Examples:",
      "  amber serve --port 8080 \\",
      "      --source shop='jdbc:postgresql://db:5432/shop?user=reader'",
      "  AMBER_SOURCE_SHOP_PASSWORD=… amber serve --config catalog.properties --verbose"
    })
final class ServeCommand implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). Demo mode is refused on any non-loopback address.")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "HTTP port; 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--public-url",
      paramLabel = "URL",
      description =
          "The http(s) URL clients reach this service at (behind a proxy, say): citations link to landing pages under it. Default: http://<host>:<port> of the listener.")
  String publicUrl;

  @Option(
      names = "--data-dir",
      defaultValue = "amber-data",
      description =
          "Local data: the embedded catalog lives in DIR/.catalog, artifacts in DIR (default: ./${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--output",
      description =
          "Artifact root URI builds write under: file:///… or gs://BUCKET/PREFIX (default: file://<data-dir>).")
  String output;

  @Option(
      names = "--catalog-url",
      description =
          "An external PostgreSQL for the catalog (jdbc:postgresql://…); default: embedded.")
  String catalogUrl;

  @Option(
      names = "--source",
      paramLabel = "NAME=JDBC_URL",
      description = "A source clients may name; repeatable. Default: none.")
  Map<String, String> sources = new HashMap<>();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "A properties file with any of these settings. Default: none (or AMBER_CONFIG).")
  Path config;

  @Option(
      names = "--max-concurrent-builds",
      defaultValue = "2",
      description = "Builds running at once; more wait QUEUED (default: ${DEFAULT-VALUE}).")
  int maxConcurrentBuilds;

  @Option(
      names = "--public-read",
      defaultValue = "true",
      arity = "1",
      description = "Reads need no token (default: ${DEFAULT-VALUE}).")
  boolean publicRead;

  @Option(
      names = "--demo-mode",
      arity = "1",
      description =
          "Writes need no token; loopback --host only. Default: true with the embedded catalog on a loopback --host, else false.")
  Boolean demoMode;

  @Option(
      names = "--pipelines-jar",
      defaultValue = "pipelines/target/amber-pipelines.jar",
      description = "The pipelines jar each build runs as a child JVM (default: ${DEFAULT-VALUE}).")
  Path pipelinesJar;

  @Option(
      names = "--build-heap",
      defaultValue = "1g",
      description = "Each build's -Xmx (default: ${DEFAULT-VALUE}).")
  String buildHeap;

  @Option(
      names = "--sweep-interval",
      defaultValue = "PT1M",
      description =
          "How often TTLs and file deletions are checked; schedules run on time regardless"
              + " (default: ${DEFAULT-VALUE}).")
  Duration sweepInterval;

  @Option(
      names = "--deletion-grace",
      defaultValue = "PT1H",
      description =
          "How long expired or deleted versions' files stay, so downloads already under way can finish (default: ${DEFAULT-VALUE}).")
  Duration deletionGrace;

  @Option(
      names = "--signed-url-life",
      defaultValue = "PT15M",
      description =
          "With a gs:// --output: how long the signed URL a download is redirected to works; shorter than --deletion-grace (default: ${DEFAULT-VALUE}).")
  Duration signedUrlLife;

  @Option(
      names = "--ad-hoc-ttl",
      defaultValue = "P7D",
      description = "TTL of ad-hoc builds that name none (default: ${DEFAULT-VALUE}).")
  String adHocTtl;

  @Option(
      names = "--max-wait",
      defaultValue = "PT2M",
      description = "Longest ?wait= / Prefer: wait honoured (default: ${DEFAULT-VALUE}).")
  Duration maxWait;

  @Option(
      names = "--max-request-bytes",
      defaultValue = "1048576",
      description = "Largest request body (default: ${DEFAULT-VALUE}).")
  long maxRequestBytes;

  @Option(
      names = "--verbose",
      description =
          "Library logs (embedded PostgreSQL, Flyway, Jetty, …) on stderr instead of <data-dir>/logs/serve.log. Default: off.")
  boolean verbose;

  @Option(
      names = "--statement-timeout",
      defaultValue = "PT2H",
      description =
          "Longest run of any statement a build sends to a source (default: ${DEFAULT-VALUE}).")
  Duration statementTimeout;

  @Option(
      names = "--" + SettingsDefaults.SOURCE_TIMEOUT_OPTION,
      paramLabel = "NAME=DURATION",
      description =
          "A source's own statement timeout; repeatable (file: source.NAME.statement-timeout).")
  Map<String, Duration> sourceStatementTimeouts = new HashMap<>();

  @Option(
      names = "--allow-writable-source",
      paramLabel = "NAME",
      split = ",",
      description =
          "Start even though this source's role could write or reach server files (warned at start-up and on /readyz); repeatable.")
  Set<String> allowWritableSources = new HashSet<>();

  @Override
  public Integer call() throws InterruptedException {
    if (publicUrl != null) {
      try {
        PublicUrl.check(publicUrl);
      } catch (IllegalArgumentException e) {
        // A usage error, before anything starts: one line and the usage exit code.
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    Map<String, String> allSources = new HashMap<>();
    if (spec.root().commandLine().getDefaultValueProvider() instanceof SettingsDefaults) {
      allSources.putAll(
          ((SettingsDefaults) spec.root().commandLine().getDefaultValueProvider()).sources());
    }
    allSources.putAll(sources);
    Map<String, Duration> timeouts = new HashMap<>();
    if (spec.root().commandLine().getDefaultValueProvider() instanceof SettingsDefaults defaults) {
      defaults
          .sourceStatementTimeouts()
          .forEach((name, text) -> timeouts.put(name, timeout(name, text)));
    }
    timeouts.putAll(sourceStatementTimeouts);
    Path data = dataDir.toAbsolutePath().normalize();
    String log = Logging.forServe(data, verbose);
    CatalogConfig settings =
        CatalogConfig.builder()
            .host(host)
            .port(port)
            .publicUrl(publicUrl)
            .dataDir(data)
            .outputRoot(output != null ? output : data.toUri().toString().replaceFirst("/$", ""))
            .catalogUrl(catalogUrl)
            .catalogPassword(System.getenv("AMBER_CATALOG_PASSWORD"))
            .sources(allSources)
            .maxConcurrentBuilds(maxConcurrentBuilds)
            .publicRead(publicRead)
            .demoMode(
                demoMode != null ? demoMode : catalogUrl == null && ListenAddress.isLoopback(host))
            .pipelinesJar(pipelinesJar)
            .buildHeap(buildHeap)
            .sweepInterval(sweepInterval)
            .deletionGrace(deletionGrace)
            .signedUrlLife(signedUrlLife)
            .adHocTtl(adHocTtl)
            .maxWait(maxWait)
            .maxRequestBytes(maxRequestBytes)
            .statementTimeout(statementTimeout)
            .sourceStatementTimeouts(timeouts)
            .allowWritableSources(allowWritableSources)
            .build();
    CatalogService service = CatalogService.start(settings);
    StartupBanner.print(spec.commandLine().getOut(), settings, service.port(), log);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                },
                "catalog-shutdown"));
    stopped.await();
    return 0;
  }

  private Duration timeout(String source, String text) {
    try {
      return Duration.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "source."
              + source
              + ".statement-timeout takes an ISO-8601 duration such as PT30M, got '"
              + text
              + "'");
    }
  }
}
