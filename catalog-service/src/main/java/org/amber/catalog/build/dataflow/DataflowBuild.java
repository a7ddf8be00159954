package org.amber.catalog.build.dataflow;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.dataflow.Dataflow;
import com.google.api.services.dataflow.model.Job;
import com.google.api.services.dataflow.model.JobMessage;
import com.google.api.services.dataflow.model.JobMetrics;
import com.google.api.services.dataflow.model.MetricStructuredName;
import com.google.api.services.dataflow.model.MetricUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.amber.artifacts.build.BuildRecord;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.catalog.artifact.ArtifactStore;
import org.amber.catalog.build.BuildListener;
import org.amber.catalog.build.BuildResult;
import org.amber.catalog.build.RunningBuild;
import org.amber.catalog.domain.model.BuildError;
import org.amber.catalog.domain.model.Progress;
import org.amber.transforms.postgres.SnapshotCoordinator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build running as a Dataflow job: polls its state and Amber's counters, turns its end into a
 * {@link BuildResult}, and holds (then releases) the build's source snapshot.
 *
 * <p>Every Dataflow job state is one of three things here. Still going, so polling goes on: {@code
 * UNKNOWN}, {@code STOPPED} (not started yet), {@code PENDING}, {@code QUEUED}, {@code RUNNING},
 * {@code CANCELLING}, {@code DRAINING}, {@code RESOURCE_CLEANING_UP}. Ended after its last step
 * ran, judged by what it committed (its build record): {@code DONE}, {@code DRAINED}. Ended without
 * a result: {@code FAILED}, {@code CANCELLED} (aborted if the catalog asked, else an error), {@code
 * UPDATED} (replaced by another job, which the catalog does not follow).
 */
final class DataflowBuild implements RunningBuild {
  private static final Logger LOG = LoggerFactory.getLogger(DataflowBuild.class);

  /** The counters of the pipeline's export ({@code ExportPartitions}), as Beam names them. */
  static final String NAMESPACE = "amber";

  static final String PARTITIONS_DONE = "partitions_done";
  static final String ROWS = "rows";
  static final String BYTES = "bytes";

  static final String CANCELLED = "JOB_STATE_CANCELLED";

  private static final int MESSAGE_CHARS = 500;

  /**
   * What PostgreSQL says to a partition that imports a snapshot no longer held ({@code SET
   * TRANSACTION SNAPSHOT}): "snapshot … does not exist", or "invalid snapshot identifier".
   */
  private static final Pattern SNAPSHOT_GONE =
      Pattern.compile("snapshot \"[0-9A-Fa-f-]+\" does not exist|invalid snapshot identifier");

  /** What every build of one launcher shares. */
  record Context(
      Dataflow dataflow,
      ArtifactStore artifacts,
      ScheduledExecutorService poller,
      Duration pollInterval,
      Duration maxSnapshotHold,
      Clock clock) {}

  private final Context context;
  private final DataflowJob job;
  private final String dataset;
  private final String buildId;
  private final Integer partitionsRequested;
  private final BuildListener listener;
  private final SnapshotCoordinator coordinator;
  private final Instant holdDeadline;
  private final CompletableFuture<BuildResult> result = new CompletableFuture<>();

  /** Guards the fields below and every step of a poll, so two steps never judge one job. */
  private final Object lock = new Object();

  /** How the build ended, once it has; the result completes with it outside the lock. */
  private BuildResult outcome;

  private boolean cancelRequested;
  private boolean cancelSent;
  private boolean detached;
  private Progress lastProgress;
  private ScheduledFuture<?> polling;
  private ScheduledFuture<?> expiry;

  DataflowBuild(
      Context context,
      DataflowJob job,
      String dataset,
      String buildId,
      Integer partitionsRequested,
      BuildListener listener,
      SnapshotCoordinator coordinator,
      Instant holdDeadline) {
    this.context = context;
    this.job = job;
    this.dataset = dataset;
    this.buildId = buildId;
    this.partitionsRequested = partitionsRequested;
    this.listener = listener;
    this.coordinator = coordinator;
    this.holdDeadline = holdDeadline;
  }

  void start() {
    synchronized (lock) {
      long every = context.pollInterval().toMillis();
      polling =
          context.poller().scheduleWithFixedDelay(this::poll, 0, every, TimeUnit.MILLISECONDS);
      long untilDeadline =
          Math.max(0, Duration.between(context.clock().instant(), holdDeadline).toMillis());
      expiry = context.poller().schedule(this::holdPassed, untilDeadline, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public OptionalLong pid() {
    return OptionalLong.empty();
  }

  @Override
  public Optional<String> job() {
    return Optional.of(job.toString());
  }

  @Override
  public CompletableFuture<BuildResult> result() {
    return result;
  }

  /** Asks Dataflow to cancel the job and waits until it says the job ended. */
  @Override
  public void cancel() {
    synchronized (lock) {
      if (outcome == null && !cancelRequested) {
        LOG.info("cancelling {} ({})", buildId, job);
        cancelRequested = true;
        sendCancel();
        context.poller().execute(this::poll);
      }
    }
    result.join();
  }

  @Override
  public boolean detach() {
    synchronized (lock) {
      detached = true;
      stopTimers();
    }
    // The coordinator is a session of this service, which is stopping: the snapshot goes with it.
    releaseSnapshot();
    LOG.info("{}: left {} running; the next start re-attaches to it", buildId, job);
    return true;
  }

  private void poll() {
    pollOnce();
    publish();
  }

  private void pollOnce() {
    synchronized (lock) {
      if (outcome != null || detached) {
        return;
      }
      try {
        if (cancelRequested && !cancelSent) {
          sendCancel();
        }
        Job current = jobs().get(job.project(), job.region(), job.id()).execute();
        judge(current);
      } catch (GoogleJsonResponseException e) {
        if (e.getStatusCode() == 404) {
          end(failed("its Dataflow job " + job.id() + " no longer exists"));
        } else {
          LOG.warn(
              "{}: Dataflow answered {}; asking again", buildId, DataflowLauncher.googleMessage(e));
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("{}: cannot reach Dataflow ({}); asking again", buildId, e.getMessage());
      }
    }
  }

  private void judge(Job current) throws IOException {
    String state = current.getCurrentState() == null ? "" : current.getCurrentState();
    switch (state) {
      case "JOB_STATE_DONE" -> end(committed("finished"));
      case "JOB_STATE_DRAINED" -> end(committed("was drained"));
      case "JOB_STATE_FAILED" -> end(failed(failureMessage()));
      case CANCELLED ->
          end(
              cancelRequested
                  ? new BuildResult.Cancelled()
                  : failed(
                      "its Dataflow job "
                          + job.id()
                          + " was cancelled outside the catalog (Cloud console or gcloud)"));
      case "JOB_STATE_UPDATED" ->
          end(
              failed(
                  "its Dataflow job "
                      + job.id()
                      + " was replaced by job "
                      + current.getReplacedByJobId()
                      + " outside the catalog, which does not follow it"));
      case "JOB_STATE_RUNNING" -> reportProgress();
      default -> {
        // UNKNOWN, STOPPED (not started yet), PENDING, QUEUED, CANCELLING, DRAINING,
        // RESOURCE_CLEANING_UP and any state added later: not ended yet.
      }
    }
  }

  /** The longest snapshot hold passed: the job is cancelled and the snapshot released at once. */
  private void holdPassed() {
    expire();
    publish();
  }

  private void expire() {
    synchronized (lock) {
      if (outcome != null || detached) {
        return;
      }
      LOG.warn(
          "{}: held its snapshot for {}, the longest allowed; cancelling {}",
          buildId,
          context.maxSnapshotHold(),
          job);
      cancelRequested = true;
      sendCancel();
      end(
          new BuildResult.Failed(
              new BuildError(
                  BuildError.SNAPSHOT_EXPIRED,
                  "the build held its source snapshot for "
                      + context.maxSnapshotHold()
                      + ", the longest the service allows (--max-snapshot-hold), so its Dataflow"
                      + " job "
                      + job.id()
                      + " was cancelled; build a smaller dataset or raise the limit")));
    }
  }

  /** Asks Dataflow to cancel; asked again on the next poll if Dataflow did not answer. */
  private void sendCancel() {
    try {
      jobs()
          .update(job.project(), job.region(), job.id(), new Job().setRequestedState(CANCELLED))
          .execute();
      cancelSent = true;
    } catch (IOException e) {
      LOG.warn("{}: cannot ask Dataflow to cancel {} yet: {}", buildId, job, e.getMessage());
    }
  }

  /** What the job committed, from its build record, as the local launcher reads its summary. */
  private BuildResult committed(String how) {
    DatasetLayout layout = context.artifacts().layout(dataset);
    Optional<BuildRecord> record;
    try {
      record = context.artifacts().committedBuild(dataset, buildId);
    } catch (UncheckedIOException e) {
      return failed("its build record " + layout.buildRecord(buildId) + " is unreadable");
    }
    if (record.isEmpty()) {
      return failed(
          "its Dataflow job "
              + job.id()
              + " "
              + how
              + " without committing a version (no completed build record at "
              + layout.buildRecord(buildId)
              + ")");
    }
    return BuildResult.Succeeded.of(record.get(), layout.buildRecord(buildId));
  }

  /** The job's first error, the cause rather than Dataflow's closing summary of it. */
  private String failureMessage() {
    List<JobMessage> errors;
    try {
      errors =
          jobs()
              .messages()
              .list(job.project(), job.region(), job.id())
              .setMinimumImportance("JOB_MESSAGE_ERROR")
              .execute()
              .getJobMessages();
    } catch (IOException e) {
      errors = null;
    }
    if (errors == null || errors.isEmpty()) {
      return "its Dataflow job " + job.id() + " failed (its logs in the Cloud console say why)";
    }
    for (JobMessage m : errors) {
      if (m.getMessageText() != null && SNAPSHOT_GONE.matcher(m.getMessageText()).find()) {
        return "its Dataflow job "
            + job.id()
            + " failed: the source snapshot was released before every partition had begun reading"
            + " it (the catalog service restarted, or the longest hold passed); build again";
      }
    }
    String first = errors.get(0).getMessageText() == null ? "" : errors.get(0).getMessageText();
    String line = first.strip().lines().findFirst().orElse("");
    if (line.length() > MESSAGE_CHARS) {
      line = line.substring(0, MESSAGE_CHARS) + "…";
    }
    return "its Dataflow job " + job.id() + " failed: " + line;
  }

  /** Amber's counters, summed over the steps that report them; attempted values where given. */
  private void reportProgress() throws IOException {
    JobMetrics metrics = jobs().getMetrics(job.project(), job.region(), job.id()).execute();
    if (metrics.getMetrics() == null) {
      return;
    }
    Map<String, Long> attempted = new HashMap<>();
    Map<String, Long> committed = new HashMap<>();
    for (MetricUpdate update : metrics.getMetrics()) {
      MetricStructuredName name = update.getName();
      if (name == null
          || !"user".equalsIgnoreCase(name.getOrigin())
          || name.getContext() == null
          || !NAMESPACE.equals(name.getContext().get("namespace"))
          || update.getScalar() == null) {
        continue;
      }
      long value;
      try {
        value = new BigDecimal(update.getScalar().toString()).longValue();
      } catch (NumberFormatException e) {
        continue;
      }
      boolean tentative = "true".equals(name.getContext().get("tentative"));
      (tentative ? attempted : committed).merge(name.getName(), value, Long::sum);
    }
    Map<String, Long> counters = attempted.isEmpty() ? committed : attempted;
    int done = Math.toIntExact(counters.getOrDefault(PARTITIONS_DONE, 0L));
    // The plan is made in the template's launcher, which reports nothing back: the total is known
    // only when the request fixed it.
    int total = partitionsRequested == null ? 0 : Math.max(partitionsRequested, done);
    Progress next =
        new Progress(
            done, total, counters.getOrDefault(ROWS, 0L), counters.getOrDefault(BYTES, 0L));
    if (!next.equals(lastProgress)) {
      lastProgress = next;
      try {
        listener.onProgress(next);
      } catch (RuntimeException e) {
        LOG.warn("{}: could not record progress: {}", buildId, e.getMessage());
      }
    }
  }

  private void end(BuildResult outcome) {
    stopTimers();
    releaseSnapshot();
    if (!(outcome instanceof BuildResult.Succeeded)) {
      try {
        context.artifacts().deleteStaging(dataset, buildId);
      } catch (RuntimeException e) {
        LOG.warn("{}: cannot remove its staging files: {}", buildId, e.getMessage());
      }
    }
    LOG.info("{} ({}) ended: {}", buildId, job, outcome);
    this.outcome = outcome;
  }

  /**
   * Completes the result once the build has ended, without holding the lock: what hears of the end
   * (the scheduler records it, then may launch the next build) must not stall this build's timers.
   */
  private void publish() {
    BuildResult ended;
    synchronized (lock) {
      ended = outcome;
    }
    if (ended != null) {
      result.complete(ended);
    }
  }

  private void stopTimers() {
    if (polling != null) {
      polling.cancel(false);
    }
    if (expiry != null) {
      expiry.cancel(false);
    }
  }

  private void releaseSnapshot() {
    if (coordinator != null) {
      coordinator.close();
    }
  }

  private BuildResult.Failed failed(String message) {
    return new BuildResult.Failed(new BuildError(BuildError.BUILD_FAILED, message));
  }

  private Dataflow.Projects.Locations.Jobs jobs() {
    return context.dataflow().projects().locations().jobs();
  }
}
