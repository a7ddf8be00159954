package org.amber.catalog.build.dataflow;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.dataflow.Dataflow;
import com.google.api.services.dataflow.model.FlexTemplateRuntimeEnvironment;
import com.google.api.services.dataflow.model.Job;
import com.google.api.services.dataflow.model.LaunchFlexTemplateParameter;
import com.google.api.services.dataflow.model.LaunchFlexTemplateRequest;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.amber.catalog.artifact.ArtifactStore;
import org.amber.catalog.build.BuildLauncher;
import org.amber.catalog.build.BuildListener;
import org.amber.catalog.build.BuildSpec;
import org.amber.catalog.build.RunningBuild;
import org.amber.catalog.domain.model.Version;
import org.amber.transforms.postgres.SnapshotCoordinator;
import org.amber.transforms.source.JdbcSource;
import org.amber.transforms.source.SourcePassword;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each build as a Dataflow job of the materialise Flex Template ({@code
 * projects.locations.flexTemplates.launch}) and watches it ({@code jobs.get}, {@code
 * jobs.getMetrics}) until it ends.
 *
 * <p>The template's launcher does not wait for its job, so the catalog holds the build's PostgreSQL
 * snapshot: it exports it before launching, passes its id as {@code snapshotId}, and releases it
 * when the job ends or the longest hold passes (then the job is cancelled). The job commits by
 * itself; what it committed is read from its build record. Nothing secret goes into the launch
 * request: a source's password reaches the workers from Secret Manager ({@code
 * sourcePasswordSecret}).
 */
public final class DataflowLauncher implements BuildLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(DataflowLauncher.class);
  private static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
  private static final int TIMEOUT_MILLIS = 60_000;

  private final DataflowConfig config;
  private final Dataflow dataflow;
  private final ArtifactStore artifacts;
  private final Clock clock;
  private final ScheduledExecutorService poller =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "dataflow-poll");
            t.setDaemon(true);
            return t;
          });

  DataflowLauncher(DataflowConfig config, Dataflow dataflow, ArtifactStore artifacts, Clock clock) {
    this.config = config;
    this.dataflow = dataflow;
    this.artifacts = artifacts;
    this.clock = clock;
  }

  /**
   * A launcher with Google's client: Application Default Credentials against Google's endpoint, or
   * no credentials against {@link DataflowConfig#rootUrl() a stand-in}.
   *
   * @throws IOException when there are no Application Default Credentials
   */
  public static DataflowLauncher create(DataflowConfig config, ArtifactStore artifacts, Clock clock)
      throws IOException {
    HttpRequestInitializer credentials;
    if (config.rootUrl() == null) {
      GoogleCredentials adc;
      try {
        adc = GoogleCredentials.getApplicationDefault().createScoped(CLOUD_PLATFORM);
      } catch (IOException e) {
        throw new IOException(
            "builds on Dataflow need Google credentials (Application Default Credentials:"
                + " GOOGLE_APPLICATION_CREDENTIALS, gcloud auth application-default login, or"
                + " the machine's service account): "
                + e.getMessage(),
            e);
      }
      credentials = new HttpCredentialsAdapter(adc);
    } else {
      credentials = request -> {};
    }
    HttpRequestInitializer initializer =
        request -> {
          credentials.initialize(request);
          request.setConnectTimeout(TIMEOUT_MILLIS);
          request.setReadTimeout(TIMEOUT_MILLIS);
        };
    Dataflow.Builder client =
        new Dataflow.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), initializer)
            .setApplicationName("amber-catalog");
    if (config.rootUrl() != null) {
      client.setRootUrl(config.rootUrl());
    }
    return new DataflowLauncher(config, client.build(), artifacts, clock);
  }

  @Override
  public RunningBuild launch(BuildSpec spec, BuildListener listener) throws IOException {
    JdbcSource source =
        new JdbcSource(spec.sourceUrl(), spec.sourcePassword(), spec.statementTimeout().toMillis())
            .forBuild(spec.buildId());
    String secret = config.sourcePasswordSecrets().get(spec.source());
    if (secret == null && !(source.password() instanceof SourcePassword.None)) {
      throw new IOException(
          "source '"
              + spec.source()
              + "' has a password, which is never put in a Dataflow job: keep it in Secret"
              + " Manager and name the secret version with --source-password-secret "
              + spec.source()
              + "=projects/PROJECT/secrets/NAME/versions/VERSION");
    }
    SnapshotCoordinator coordinator = null;
    if (source.kind() == JdbcSource.Kind.POSTGRESQL) {
      try {
        coordinator = SnapshotCoordinator.export(source, config.maxSnapshotHold());
      } catch (SQLException e) {
        throw new IOException(
            "cannot export a snapshot of source '" + spec.source() + "': " + e.getMessage(), e);
      }
    }
    Instant started = clock.instant();
    try {
      LaunchFlexTemplateParameter launch =
          new LaunchFlexTemplateParameter()
              .setJobName(jobName(spec.buildId()))
              .setContainerSpecGcsPath(config.templatePath())
              .setParameters(parameters(spec, source, secret, coordinator));
      FlexTemplateRuntimeEnvironment environment = new FlexTemplateRuntimeEnvironment();
      if (config.serviceAccount() != null) {
        environment.setServiceAccountEmail(config.serviceAccount());
      }
      if (config.tempLocation() != null) {
        environment.setTempLocation(config.tempLocation());
      }
      if (!environment.isEmpty()) {
        launch.setEnvironment(environment);
      }
      Job job =
          dataflow
              .projects()
              .locations()
              .flexTemplates()
              .launch(
                  config.project(),
                  config.region(),
                  new LaunchFlexTemplateRequest().setLaunchParameter(launch))
              .execute()
              .getJob();
      if (job == null || job.getId() == null) {
        throw new IOException("Dataflow accepted the launch but named no job");
      }
      DataflowJob launched = new DataflowJob(config.project(), config.region(), job.getId());
      LOG.info("{} launched as {}", spec, launched);
      return watch(
          launched,
          spec.dataset(),
          spec.buildId(),
          spec.partitions(),
          listener,
          coordinator,
          started);
    } catch (GoogleJsonResponseException e) {
      closeQuietly(coordinator);
      throw new IOException("Dataflow refused to launch the job: " + googleMessage(e), e);
    } catch (IOException | RuntimeException e) {
      closeQuietly(coordinator);
      throw e;
    }
  }

  /**
   * A build whose catalog restarted while its job ran: its snapshot went with the old service (a
   * coordinator is a database session), but partitions that already imported it keep it until they
   * finish, and any that had not started fail with "invalid snapshot identifier", which fails the
   * job. So the job is watched again and either commits a consistent version or fails clearly.
   */
  @Override
  public Optional<RunningBuild> reattach(Version version, BuildListener listener) {
    return DataflowJob.parse(version.job())
        .map(
            job ->
                watch(
                    job,
                    version.dataset(),
                    version.buildId(),
                    version.request().partitions(),
                    listener,
                    null,
                    version.startedAt() == null ? clock.instant() : version.startedAt()));
  }

  private DataflowBuild watch(
      DataflowJob job,
      String dataset,
      String buildId,
      Integer partitions,
      BuildListener listener,
      SnapshotCoordinator coordinator,
      Instant started) {
    DataflowBuild build =
        new DataflowBuild(
            new DataflowBuild.Context(
                dataflow,
                artifacts,
                poller,
                config.pollInterval(),
                config.maxSnapshotHold(),
                clock),
            job,
            dataset,
            buildId,
            partitions,
            listener,
            coordinator,
            started.plus(config.maxSnapshotHold()));
    build.start();
    return build;
  }

  /** The pipeline's options, named as the template's metadata.json names them. */
  Map<String, String> parameters(
      BuildSpec spec, JdbcSource source, String secret, SnapshotCoordinator coordinator) {
    Map<String, String> p = new LinkedHashMap<>();
    // The URL without its password: a password in the URL is the catalog's own and stays here.
    p.put("source", source.redactedUrl());
    if (secret != null) {
      p.put("sourcePasswordSecret", secret);
    }
    if (spec.query() != null) {
      p.put("query", spec.query());
    } else {
      p.put("table", spec.table());
    }
    p.put("dataset", spec.dataset());
    p.put("output", artifacts.rootUri());
    p.put("formats", String.join(",", spec.formats()));
    if (spec.partitionColumn() != null) {
      p.put("partitionColumn", spec.partitionColumn());
    }
    if (spec.partitions() != null) {
      p.put("partitions", spec.partitions().toString());
    }
    if (coordinator != null) {
      p.put("snapshot", "exported");
      p.put("snapshotId", coordinator.snapshot().id());
      p.put("maxSnapshotHold", config.maxSnapshotHold().toString());
    }
    p.put("statementTimeout", spec.statementTimeout().toString());
    p.put("buildId", spec.buildId());
    p.put("progress", "none");
    if (spec.compareWith() != null) {
      p.put("compareWith", spec.compareWith());
    }
    return p;
  }

  /**
   * Dataflow's job names are {@code [a-z]([-a-z0-9]*[a-z0-9])?}; the build id makes it unique and
   * findable in the console.
   */
  static String jobName(String buildId) {
    String name = ("amber-" + buildId.toLowerCase(Locale.ROOT)).replaceAll("[^a-z0-9-]", "-");
    return name.replaceAll("-+$", "");
  }

  /** Google's own one-line reason for refusing a request. */
  static String googleMessage(GoogleJsonResponseException e) {
    if (e.getDetails() != null && e.getDetails().getMessage() != null) {
      return e.getDetails().getMessage();
    }
    return e.getStatusCode() + " " + e.getStatusMessage();
  }

  private static void closeQuietly(SnapshotCoordinator coordinator) {
    if (coordinator != null) {
      coordinator.close();
    }
  }

  @Override
  public void cleanUpInterrupted(String dataset, String buildId, Long pid) {
    artifacts.deleteStaging(dataset, buildId);
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
