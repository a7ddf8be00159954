package org.amber.catalog.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.amber.catalog.build.dataflow.DataflowConfig;
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
          + " file: source.NAME.statement-timeout=PT30M; its password secret for Dataflow:"
          + " source.NAME.password-secret=projects/P/secrets/S/versions/V.",
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

  /** Where builds run. */
  enum Launcher {
    local,
    dataflow
  }

  @Option(
      names = "--launcher",
      defaultValue = "local",
      description =
          "Where builds run: local (child processes of the pipelines jar) or dataflow (jobs of the"
              + " materialise Flex Template; needs --dataflow-project, --dataflow-region,"
              + " --dataflow-template and a gs:// --output). Default: ${DEFAULT-VALUE}.")
  Launcher launcher;

  @Option(
      names = "--dataflow-project",
      paramLabel = "PROJECT",
      description = "Google Cloud project Dataflow builds run in.")
  String dataflowProject;

  @Option(
      names = "--dataflow-region",
      paramLabel = "REGION",
      description = "Dataflow region builds run in (e.g. europe-west1).")
  String dataflowRegion;

  @Option(
      names = "--dataflow-template",
      paramLabel = "GCS_PATH",
      description =
          "The staged Flex Template spec (gs://BUCKET/templates/materialise.json, made by"
              + " scripts/template-build).")
  String dataflowTemplate;

  @Option(
      names = "--dataflow-service-account",
      paramLabel = "EMAIL",
      description = "Service account the Dataflow workers run as. Default: the project's.")
  String dataflowServiceAccount;

  @Option(
      names = "--dataflow-temp-location",
      paramLabel = "GCS_PATH",
      description = "gs:// folder for the jobs' temporary files. Default: the template's.")
  String dataflowTempLocation;

  @Option(
      names = "--dataflow-root-url",
      paramLabel = "URL",
      description =
          "A stand-in for the Dataflow API, reached without credentials (tests). Default:"
              + " Google's, with Application Default Credentials.")
  String dataflowRootUrl;

  @Option(
      names = "--dataflow-poll-interval",
      defaultValue = "PT10S",
      description =
          "How often a Dataflow job's state and counters are read (default: ${DEFAULT-VALUE}).")
  Duration dataflowPollInterval;

  @Option(
      names = "--max-snapshot-hold",
      defaultValue = "PT6H",
      description =
          "Longest a Dataflow build may hold its source snapshot (holding back VACUUM); then its"
              + " job is cancelled and the build fails (default: ${DEFAULT-VALUE}).")
  Duration maxSnapshotHold;

  @Option(
      names = "--" + SettingsDefaults.SOURCE_SECRET_OPTION,
      paramLabel = "NAME=SECRET_VERSION",
      description =
          "The Secret Manager version (projects/P/secrets/S/versions/V) holding a source's"
              + " password, for Dataflow workers; repeatable (file: source.NAME.password-secret).")
  Map<String, String> sourcePasswordSecrets = new HashMap<>();

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
            .dataflow(dataflow(allSources.keySet()))
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

  /** The Dataflow settings when builds run there, checked; null for local builds. */
  DataflowConfig dataflow(Set<String> sourceNames) {
    Map<String, String> secrets = new HashMap<>();
    if (spec.root().commandLine().getDefaultValueProvider() instanceof SettingsDefaults defaults) {
      secrets.putAll(defaults.sourcePasswordSecrets());
    }
    secrets.putAll(sourcePasswordSecrets);
    for (String name : secrets.keySet()) {
      if (!sourceNames.contains(name)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "a password secret is set for source '" + name + "', which is not configured");
      }
    }
    if (launcher != Launcher.dataflow) {
      return null;
    }
    for (String[] required :
        new String[][] {
          {"--dataflow-project", dataflowProject},
          {"--dataflow-region", dataflowRegion},
          {"--dataflow-template", dataflowTemplate}
        }) {
      if (required[1] == null || required[1].isBlank()) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--launcher dataflow needs " + required[0]);
      }
    }
    if (dataflowRootUrl == null && (output == null || !output.startsWith("gs://"))) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--launcher dataflow needs --output gs://BUCKET/PREFIX: Dataflow's workers write there");
    }
    try {
      return new DataflowConfig(
          dataflowProject,
          dataflowRegion,
          dataflowTemplate,
          dataflowServiceAccount,
          dataflowTempLocation,
          dataflowRootUrl,
          maxSnapshotHold,
          dataflowPollInterval,
          secrets);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
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
