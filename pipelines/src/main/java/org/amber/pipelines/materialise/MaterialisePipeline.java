package org.amber.pipelines.materialise;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.amber.artifacts.build.BuildRecord;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.commit.CommitDataset;
import org.amber.transforms.diff.RecordChanges;
import org.amber.transforms.export.ExportPartitions;
import org.amber.transforms.export.PartitionSource;
import org.amber.transforms.format.FormatOptions;
import org.amber.transforms.source.BuildSnapshot;
import org.amber.transforms.source.JdbcSource;
import org.amber.transforms.source.LiveQueries;
import org.amber.transforms.source.PreparedSource;
import org.amber.transforms.source.ReadRequest;
import org.amber.transforms.source.SnapshotStrategy;
import org.amber.transforms.source.SourceDialect;
import org.amber.transforms.source.SourcePassword;
import org.amber.transforms.storage.ArtifactFiles;
import org.apache.beam.runners.dataflow.DataflowPipelineJob;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.ReleaseInfo;
import org.apache.beam.sdk.util.construction.SplittableParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The materialise pipeline: one frozen snapshot of a query, read in parallel, written as a
 * content-addressed dataset version.
 *
 * <ol>
 *   <li>Open the build's point in time with the source's {@link SourceDialect} (PostgreSQL's {@code
 *       --snapshot exported} exports a snapshot and holds it for the whole build, at most {@code
 *       --max-snapshot-hold}).
 *   <li>Inside it, check the query, read the schema and compute the partition plan.
 *   <li>Run {@link ExportPartitions} (each partition read and written as shard {@code i} of every
 *       format) and {@link CommitDataset} (digest, move to the address, {@code manifest.json} last,
 *       build record).
 * </ol>
 *
 * On the direct runner {@link #run} holds the snapshot and waits for the commit. On Dataflow {@link
 * #submit} returns as soon as the job is submitted: the commit is a step of the job itself, and the
 * snapshot is held by whoever launched it ({@code --snapshot-id}).
 *
 * <p>{@link #main} is the Flex Template's entry point; tests call {@link #run} directly.
 */
public final class MaterialisePipeline {
  /** Environment variable holding the source's password. */
  public static final String PASSWORD_ENV = "AMBER_SOURCE_PASSWORD";

  private static final Duration POLL = Duration.ofMillis(500);

  /** What a build stopped by a signal waits for its sessions (the catalog kills it after 5 s). */
  private static final Duration STOP_ON_SIGNAL = Duration.ofSeconds(3);

  /** What a failed build waits for its other workers before it reports the failure. */
  private static final Duration STOP_ON_FAILURE = Duration.ofSeconds(30);

  private MaterialisePipeline() {}

  /**
   * The Flex Template's entry point (and {@code java -cp … MaterialisePipeline}): on Dataflow it
   * prints the submitted job as one line of JSON and returns without waiting for it.
   */
  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(MaterialiseOptions.class);
    MaterialiseOptions options =
        PipelineOptionsFactory.fromArgs(launcherArguments(args, System.getenv()))
            .withValidation()
            .as(MaterialiseOptions.class);
    if (submitsOnly(options)) {
      System.out.println(submit(options).toJson());
    } else {
      run(options);
    }
  }

  /**
   * The arguments, with {@code --runner=DataflowRunner} added when this runs in the Flex Template's
   * launcher image (which names this class in {@code FLEX_TEMPLATE_JAVA_MAIN_CLASS}) and no runner
   * was given: a template launch must never fall back to the direct runner on the launcher VM.
   */
  static String[] launcherArguments(String[] args, Map<String, String> env) {
    boolean inLauncher =
        MaterialisePipeline.class.getName().equals(env.get("FLEX_TEMPLATE_JAVA_MAIN_CLASS"));
    boolean runnerGiven = Arrays.stream(args).anyMatch(a -> a.startsWith("--runner="));
    if (!inLauncher || runnerGiven) {
      return args;
    }
    String[] withRunner = Arrays.copyOf(args, args.length + 1);
    withRunner[args.length] = "--runner=DataflowRunner";
    return withRunner;
  }

  /**
   * True when the runner runs the job somewhere else (Dataflow): the launcher submits it and
   * returns, instead of waiting with {@link #run}.
   */
  public static boolean submitsOnly(MaterialiseOptions options) {
    return DataflowRunner.class.isAssignableFrom(options.getRunner());
  }

  /**
   * Plans the build inside the snapshot named by {@code --snapshot-id} (held by the caller, e.g.
   * the catalog), submits the job and returns without waiting for it: the job exports, digests,
   * moves, writes {@code manifest.json} and the build record by itself.
   */
  public static SubmittedBuild submit(MaterialiseOptions options) throws Exception {
    Build build = Build.of(options);
    if (build.strategy() == SnapshotStrategy.EXPORTED && options.getSnapshotId() == null) {
      throw new IllegalArgumentException(
          "on "
              + options.getRunner().getSimpleName()
              + " the launcher does not wait for the job, so it cannot hold the snapshot: give"
              + " --snapshot-id of a snapshot you hold until the job ends (the catalog does), or"
              + " --snapshot single|none");
    }
    if (build.source().password() instanceof SourcePassword.InProcess) {
      throw new IllegalArgumentException(
          "a password in --source cannot reach "
              + options.getRunner().getSimpleName()
              + "'s workers: give --source-password-secret"
              + " projects/…/secrets/…/versions/…");
    }
    build.checkWritable();
    try (BuildSnapshot snapshot =
        build.dialect().open(build.strategy(), options.getSnapshotId(), build.maxHold())) {
      PreparedSource prepared = snapshot.prepare(build.request());
      PipelineResult result = pipeline(options, build, prepared, Instant.now().toString()).run();
      String jobId = result instanceof DataflowPipelineJob job ? job.getJobId() : null;
      return new SubmittedBuild(
          build.layout().dataset(),
          build.buildId(),
          options.getRunner().getSimpleName(),
          jobId,
          build.layout().buildRecord(build.buildId()));
    }
  }

  /**
   * The job {@link #run} or {@link #submit} would start, planned in its snapshot but not run: what
   * a test inspects for what the job graph carries.
   */
  static Pipeline construct(MaterialiseOptions options) throws Exception {
    Build build = Build.of(options);
    try (BuildSnapshot snapshot =
        build.dialect().open(build.strategy(), options.getSnapshotId(), build.maxHold())) {
      return pipeline(options, build, snapshot.prepare(build.request()), Instant.now().toString());
    }
  }

  /** Runs a build to its end and returns its build record; throws if nothing was committed. */
  public static BuildRecord run(MaterialiseOptions options) throws Exception {
    Build build = Build.of(options);
    String buildId = build.buildId();
    DatasetLayout layout = build.layout();
    SourceDialect dialect = build.dialect();
    Duration maxHold = build.maxHold();
    ProgressReporter progress = new ProgressReporter(System.err, options.getProgress());
    build.checkWritable();

    String startedAt = Instant.now().toString();
    // Stopped with SIGTERM (a cancelled build): the source's backends stop their queries too.
    AtomicBoolean signalled = new AtomicBoolean();
    Thread stopQueries =
        new Thread(
            () -> {
              signalled.set(true);
              stopSourceQueries(buildId, STOP_ON_SIGNAL);
            },
            "amber-stop-queries");
    Runtime.getRuntime().addShutdownHook(stopQueries);
    BuildSnapshot snapshot = null;
    try {
      snapshot = dialect.open(build.strategy(), options.getSnapshotId(), maxHold);
      PreparedSource prepared = snapshot.prepare(build.request());
      Pipeline pipeline = pipeline(options, build, prepared, startedAt);
      progress.started(buildId, prepared.plan().shards());
      if (prepared.plan().note() != null) {
        progress.note(prepared.plan().note());
      }
      awaitCommit(pipeline.run(), buildId, snapshot, maxHold, progress);
    } catch (Exception e) {
      if (signalled.get()) {
        // The queries failed because the build is being stopped: the process is exiting and
        // says so itself; this is no failure to report.
        awaitExit();
      }
      throw e;
    } finally {
      if (snapshot != null) {
        snapshot.close();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(stopQueries);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: the queries are being stopped
      }
      LiveQueries.forget(buildId);
    }
    return readBuildRecord(layout.buildRecord(buildId));
  }

  /** Parks the calling thread while the JVM runs its shutdown hooks and halts. */
  private static void awaitExit() throws InterruptedException {
    new CountDownLatch(1).await();
  }

  /**
   * Cancels the build's running source queries, refuses new ones and waits until its workers'
   * sessions have ended: a worker writes only while its session is open, so no shard is written
   * after this returns (or after the wait runs out, said on stderr).
   */
  private static void stopSourceQueries(String buildId, Duration wait) {
    LiveQueries.stop(buildId);
    try {
      if (!LiveQueries.awaitIdle(buildId, wait)) {
        System.err.println(
            "amber: "
                + LiveQueries.open(buildId)
                + " source session(s) of build "
                + buildId
                + " did not end within "
                + wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends a failed or expired pipeline: its source queries, then the pipeline, then its workers. */
  private static void stopPipeline(PipelineResult result, String buildId) {
    LiveQueries.stop(buildId);
    try {
      result.cancel();
    } catch (IOException | RuntimeException alreadyEnded) {
      // a failed pipeline may refuse to be cancelled; its workers are stopped below either way
    }
    stopSourceQueries(buildId, STOP_ON_FAILURE);
  }

  /**
   * Waits for the pipeline, showing progress; releases the snapshot and fails at the maximum hold.
   */
  private static void awaitCommit(
      PipelineResult result,
      String buildId,
      BuildSnapshot snapshot,
      Duration maxHold,
      ProgressReporter progress) {
    PipelineResult.State state;
    try {
      do {
        state = result.waitUntilFinish(org.joda.time.Duration.millis(POLL.toMillis()));
        progress.report(result);
        if (snapshot.expired()) {
          throw new IllegalStateException(
              "the snapshot was held longer than --max-snapshot-hold="
                  + maxHold
                  + " and was released;"
                  + " nothing was committed");
        }
      } while (state == null || !state.isTerminal());
    } catch (RuntimeException e) {
      // One partition failed (or the hold ran out): the others must not go on reading and writing.
      stopPipeline(result, buildId);
      throw e;
    }
    progress.finished();
    if (state != PipelineResult.State.DONE) {
      stopPipeline(result, buildId);
      throw new IllegalStateException("the pipeline ended " + state + "; nothing was committed");
    }
  }

  /** What a build is asked to do, checked before anything is read or written. */
  private record Build(
      List<ShardFormat> formats,
      FormatOptions formatOptions,
      ReadRequest request,
      DatasetLayout layout,
      String buildId,
      JdbcSource source,
      SourceDialect dialect,
      SnapshotStrategy strategy,
      Duration maxHold) {

    static Build of(MaterialiseOptions options) {
      // Beam registers the gs:// file system (with --gcsEndpoint, credentials) only once it has
      // the options; the output is probed, and the commit read back, before any pipeline exists.
      FileSystems.setDefaultPipelineOptions(options);
      List<ShardFormat> formats = ShardFormat.parseList(options.getFormats());
      FormatOptions formatOptions =
          new FormatOptions(options.getParquetCompression(), options.getGzipLevel());
      ReadRequest request =
          new ReadRequest(
              options.getTable(),
              options.getQuery(),
              options.getPartitionColumn(),
              options.getPartitions(),
              options.getMaxConnections());
      DatasetLayout layout = DatasetLayout.of(options.getOutput(), options.getDataset());
      String buildId = options.getBuildId();
      DatasetLayout.requireBuildId(buildId);
      JdbcSource source =
          JdbcSource.of(
                  options.getSource(),
                  password(options),
                  duration("statement-timeout", options.getStatementTimeout()).toMillis())
              .forBuild(buildId);
      // The options travel with the job too (Dataflow shows them): they keep the redacted URL.
      options.setSource(source.redactedUrl());
      SourceDialect dialect = SourceDialect.of(source);
      return new Build(
          formats,
          formatOptions,
          request,
          layout,
          buildId,
          source,
          dialect,
          MaterialisePipeline.strategy(options, dialect),
          duration("max-snapshot-hold", options.getMaxSnapshotHold()));
    }

    void checkWritable() throws IOException {
      MaterialisePipeline.checkWritable(layout, buildId);
    }
  }

  /**
   * Where the source's password comes from: only a reference, looked up by each process that
   * connects (this one to plan, every worker to read), so that the job graph holds no password.
   */
  static SourcePassword password(MaterialiseOptions options) {
    return options.getSourcePasswordSecret() != null
        ? SourcePassword.secretManager(options.getSourcePasswordSecret())
        : SourcePassword.environment(PASSWORD_ENV);
  }

  private static Duration duration(String option, String value) {
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--" + option + " takes an ISO-8601 duration such as PT6H or PT30M, got '" + value + "'");
    }
  }

  private static Pipeline pipeline(
      MaterialiseOptions options, Build build, PreparedSource prepared, String startedAt) {
    DatasetLayout layout = build.layout();
    String buildId = build.buildId();
    List<ShardFormat> formats = build.formats();
    FormatOptions formatOptions = build.formatOptions();
    boolean onDirectRunner = options.getRunner() == DirectRunner.class;
    if (onDirectRunner) {
      DirectOptions direct = options.as(DirectOptions.class);
      direct.setBlockOnRun(false); // so that progress can be shown while it runs
      // One worker thread per partition. The direct runner's scheduler shares this pool and
      // resubmits itself without waiting: with a spare thread it spins a whole core for the
      // length of the build, while with every thread busy reading a partition it waits.
      direct.setTargetParallelism(
          Math.max(1, Math.min(prepared.plan().shards(), options.getMaxConnections())));
    }
    BuildRecord draft =
        BuildRecord.builder()
            .buildId(buildId)
            .dataset(layout.dataset())
            .source(prepared.source())
            .sql(prepared.relation().sql())
            .snapshot(prepared.snapshot())
            .partitioning(prepared.plan().toBuildRecordPartitioning())
            .partitionPlan(prepared.plan().toBuildRecord())
            .formats(formats.stream().map(ShardFormat::key).toList())
            .startedAt(startedAt)
            .runner(options.getRunner().getSimpleName(), options.getJobName())
            .versions(version(), ReleaseInfo.getReleaseInfo().getVersion())
            .build();
    Pipeline pipeline = Pipeline.create(options);
    PCollection<String> committed =
        pipeline
            .apply("Partitions", Read.from(PartitionSource.of(prepared.plan().partitions())))
            .apply(
                "Export",
                ExportPartitions.from(prepared.reader(), prepared.schema())
                    .to(layout.stagingDir(buildId))
                    .withFormats(formats)
                    .withShards(prepared.plan().shards())
                    .withFormatOptions(formatOptions)
                    // The direct runner reads each partition as a bundle of its own (see
                    // PartitionSource); a distributed runner needs them spread over its workers.
                    .withSpreading(!onDirectRunner))
            .apply(
                "Commit",
                CommitDataset.to(layout, buildId)
                    .withContent(
                        prepared.schema().toManifestSchema(),
                        prepared.plan().toPartitioning(),
                        formats,
                        formatOptions.parquetCompression())
                    .withBuildRecord(draft));
    if (onDirectRunner) {
      // The direct runner reads a source as its primitive read anyway, but converts it only after
      // its overrides have translated every step of the splittable expansion (the DoFn serialised,
      // an invoker class generated for it): about 70 ms of the main thread's start-up for nothing.
      SplittableParDo.convertReadBasedSplittableDoFnsToPrimitiveReads(pipeline);
    }
    if (options.getCompareWith() != null) {
      // A step of the job, not of this launcher: a Dataflow job counts its changes itself.
      committed.apply(
          "Changes",
          RecordChanges.against(options.getCompareWith()).into(layout.buildRecord(buildId)));
    }
    return pipeline;
  }

  /** The strategy asked for (or the source's default), if the source can read with it. */
  private static SnapshotStrategy strategy(MaterialiseOptions options, SourceDialect dialect) {
    SnapshotStrategy strategy =
        dialect.strategy(
            options.getSnapshot() == null ? null : SnapshotStrategy.parse(options.getSnapshot()));
    if (options.getSnapshotId() != null && strategy != SnapshotStrategy.EXPORTED) {
      throw new IllegalArgumentException("--snapshot-id goes with --snapshot exported");
    }
    return strategy;
  }

  /** Fails before the source is touched when the output cannot be written. */
  private static void checkWritable(DatasetLayout layout, String buildId) throws IOException {
    String probe = layout.stagingDir(buildId) + ".write-check";
    try {
      ArtifactFiles.write(probe, new byte[] {'.'}, "text/plain");
      FileSystems.delete(
          List.of(ArtifactFiles.file(probe)), StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "cannot write to the output " + layout.datasetDir() + ": " + reason(e), e);
    }
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static BuildRecord readBuildRecord(String uri) throws IOException {
    return ManifestJson.read(ArtifactFiles.read(uri), BuildRecord.class);
  }

  /** Amber's version, from the build. */
  public static String version() {
    Properties properties = new Properties();
    try (InputStream in =
        MaterialisePipeline.class.getResourceAsStream("/amber-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("amber.version", "unknown");
  }
}
