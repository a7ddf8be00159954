package org.amber.catalog.domain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.catalog.artifact.ArtifactStore;
import org.amber.catalog.build.BuildLauncher;
import org.amber.catalog.build.BuildResult;
import org.amber.catalog.build.BuildSpec;
import org.amber.catalog.build.RunningBuild;
import org.amber.catalog.domain.model.BuildError;
import org.amber.catalog.domain.model.BuildRequest;
import org.amber.catalog.domain.model.Progress;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.domain.model.VersionKey;
import org.amber.catalog.domain.model.VersionStatus;
import org.amber.catalog.store.CatalogStore;
import org.amber.catalog.store.CatalogStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queued builds, at most {@code maxConcurrentBuilds} at a time, oldest first, and records how
 * each ended. The queue is the catalog itself ({@code QUEUED} versions), so it survives a restart.
 *
 * <p>The catalog database may be out of reach for a while. A build that ends meanwhile keeps its
 * outcome here and it is recorded once the database answers again; queued builds are looked for on
 * a timer as well as on each request, so they start after an outage without a new one.
 */
public final class BuildScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BuildScheduler.class);
  private static final Set<VersionStatus> EXECUTING = EnumSet.of(VersionStatus.EXECUTING);
  private static final ObjectMapper RECORDS =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final CatalogStore store;
  private final BuildLauncher launcher;
  private final SourceRegistry sources;
  private final SourceRoles roles;
  private final ArtifactStore artifacts;
  private final VersionEvents events;
  private final CatalogMetrics metrics;
  private final int maxConcurrentBuilds;
  private final Clock clock;
  private final Releases releases;

  /** Guards {@link #running}, claiming and launching, so a claimed build is always findable. */
  private final Object dispatchLock = new Object();

  private final Map<VersionKey, Tracked> running = new HashMap<>();

  /** Builds that ended while the catalog database did not answer: their end, to record again. */
  private final Map<VersionKey, Supplier<VersionStatus>> unrecorded = new ConcurrentHashMap<>();

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "build-dispatch");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closing;

  /** A launched build and a future that completes once its end is recorded. */
  private record Tracked(RunningBuild build, Instant startedAt, CompletableFuture<Void> recorded) {}

  public BuildScheduler(
      CatalogStore store,
      BuildLauncher launcher,
      SourceRegistry sources,
      SourceRoles roles,
      ArtifactStore artifacts,
      VersionEvents events,
      CatalogMetrics metrics,
      int maxConcurrentBuilds,
      Clock clock) {
    if (maxConcurrentBuilds < 1) {
      throw new IllegalArgumentException("max concurrent builds must be at least 1");
    }
    this.store = store;
    this.launcher = launcher;
    this.sources = sources;
    this.roles = roles;
    this.artifacts = artifacts;
    this.events = events;
    this.metrics = metrics;
    this.maxConcurrentBuilds = maxConcurrentBuilds;
    this.clock = clock;
    this.releases = new Releases(store);
  }

  /**
   * Settles what the last run of the service left. A build running as a job elsewhere (Dataflow)
   * that its launcher can re-attach to is watched again: resumed, not interrupted. Any other build
   * that was running is stopped if its process still runs (it cannot be supervised: its output went
   * to the old service) and its staging is removed; then, if it had committed while the service was
   * down — its build record names a manifest on disk with the same content digest — it is recorded
   * {@code COMPLETED}, else {@code ERROR} ({@code interrupted}); it is not resumed, because a new
   * snapshot would make it a different build. Pending builds queue.
   */
  public void recoverAfterRestart() {
    for (Version v : store.versionsIn(EXECUTING)) {
      if (v.job() != null && reattach(v)) {
        continue;
      }
      launcher.cleanUpInterrupted(v.dataset(), v.buildId(), v.pid());
      Optional<BuildResult.Succeeded> committed = committedWhileDown(v);
      if (committed.isPresent() && commit(v, committed.get()) == VersionStatus.COMPLETED) {
        LOG.info("{} committed while the service was down; recorded it", v.key());
        continue;
      }
      store.fail(
          v.key(),
          EXECUTING,
          VersionStatus.ERROR,
          new BuildError(
              BuildError.INTERRUPTED, "the catalog service stopped while this build was running"),
          clock.instant());
      LOG.warn("{} was interrupted by a restart", v.key());
    }
    for (Version v : store.versionsIn(EnumSet.of(VersionStatus.PENDING))) {
      store.changeStatus(
          v.key(), EnumSet.of(VersionStatus.PENDING), VersionStatus.QUEUED, clock.instant());
    }
  }

  /** Watches again a build that ran on as its own job while the service was down. */
  private boolean reattach(Version v) {
    VersionKey key = v.key();
    Optional<RunningBuild> again;
    try {
      again = launcher.reattach(v, progress -> store.recordProgress(key, progress));
    } catch (RuntimeException e) {
      LOG.error("{}: cannot re-attach to job {}: {}", key, v.job(), e.getMessage());
      return false;
    }
    if (again.isEmpty()) {
      LOG.warn("{}: this service cannot re-attach to job {}", key, v.job());
      return false;
    }
    synchronized (dispatchLock) {
      track(v, again.get());
    }
    LOG.info("{}: re-attached to job {}", key, v.job());
    return true;
  }

  /** What a build's record says it committed, if it got that far. */
  private Optional<BuildResult.Succeeded> committedWhileDown(Version v) {
    String recordUri = artifacts.layout(v.dataset()).buildRecord(v.buildId());
    try {
      return artifacts
          .committedBuild(v.dataset(), v.buildId())
          .map(record -> BuildResult.Succeeded.of(record, recordUri));
    } catch (UncheckedIOException e) {
      LOG.warn("{}: unreadable build record {}: {}", v.key(), recordUri, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Starts looking for queued builds, and retrying ends the database did not take, every {@code
   * interval}, on top of {@link #dispatch()} on each new build.
   */
  public void start(Duration interval) {
    timer.scheduleWithFixedDelay(
        this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      recordUnrecorded();
      dispatch();
    } catch (RuntimeException e) {
      LOG.debug("build dispatch: {}", e.getMessage());
    }
  }

  private void recordUnrecorded() {
    for (Map.Entry<VersionKey, Supplier<VersionStatus>> end : unrecorded.entrySet()) {
      unrecorded.remove(end.getKey());
      VersionStatus ended = record(end.getKey(), end.getValue());
      if (!unrecorded.containsKey(end.getKey())) {
        LOG.info("{} recorded {} now that the catalog database answers again", end.getKey(), ended);
        events.statusChanged(end.getKey());
      }
    }
  }

  /**
   * Starts queued builds while there are free slots. Call after queueing one; it also runs on a
   * timer. If the catalog database does not answer, the timer tries again.
   */
  public void dispatch() {
    synchronized (dispatchLock) {
      while (!closing && running.size() < maxConcurrentBuilds) {
        Optional<Version> next;
        try {
          next = store.claimNextQueued(clock.instant());
        } catch (RuntimeException e) {
          LOG.warn("cannot look for queued builds: {}", e.getMessage());
          return;
        }
        if (next.isEmpty()) {
          return;
        }
        events.statusChanged(next.get().key());
        launch(next.get());
      }
    }
  }

  /**
   * Stops a running build and waits until it is recorded {@code ABORTED}; false when it is not
   * running here (it may have just ended).
   */
  public boolean cancel(VersionKey key) {
    Tracked tracked;
    synchronized (dispatchLock) {
      tracked = running.get(key);
    }
    if (tracked == null) {
      return false;
    }
    tracked.build().cancel();
    tracked.recorded().join();
    return true;
  }

  private void launch(Version v) {
    VersionKey key = v.key();
    BuildRequest request = v.request();
    Optional<SourceRegistry.Source> source = sources.find(request.source());
    if (source.isEmpty()) {
      endWithoutRunning(
          v, "source '" + request.source() + "' is not configured on this server any more");
      return;
    }
    try {
      roles.requireChecked(source.get());
    } catch (IllegalStateException e) {
      endWithoutRunning(v, e.getMessage());
      return;
    }
    BuildSpec spec =
        new BuildSpec(
            v.buildId(),
            v.dataset(),
            source.get().name(),
            source.get().jdbcUrl(),
            source.get().password(),
            request.query(),
            request.table(),
            request.formats(),
            request.partitionColumn(),
            request.partitions(),
            source.get().statementTimeout(),
            releases.compareWith(v));
    RunningBuild build;
    try {
      build = launcher.launch(spec, progress -> store.recordProgress(key, progress));
    } catch (IOException | RuntimeException e) {
      LOG.error("cannot start {}: {}", spec, e.getMessage());
      endWithoutRunning(v, "the build could not be started: " + e.getMessage());
      return;
    }
    track(v, build);
    try {
      build.pid().ifPresent(pid -> store.recordPid(key, pid));
      build.job().ifPresent(job -> store.recordJob(key, job));
    } catch (RuntimeException e) {
      // Only a restart needs it, to find the process or job; the build runs on regardless.
      LOG.warn("{}: cannot record where it runs: {}", key, e.getMessage());
    }
  }

  /** Runs with {@link #dispatchLock} held. */
  private void track(Version v, RunningBuild build) {
    Tracked tracked = new Tracked(build, clock.instant(), new CompletableFuture<>());
    running.put(v.key(), tracked);
    build.result().whenComplete((result, failure) -> finish(v, tracked, result, failure));
  }

  private void endWithoutRunning(Version v, String message) {
    record(
        v.key(),
        () -> {
          store.fail(
              v.key(),
              EXECUTING,
              VersionStatus.ERROR,
              new BuildError(BuildError.LAUNCH_FAILED, message),
              clock.instant());
          return VersionStatus.ERROR;
        });
    events.statusChanged(v.key());
    metrics.buildEnded(VersionStatus.ERROR, Duration.ZERO);
  }

  private void finish(Version v, Tracked tracked, BuildResult result, Throwable failure) {
    boolean stopping = closing;
    VersionStatus ended = VersionStatus.ERROR;
    try {
      ended = record(v.key(), () -> recordEnd(v, result, failure, stopping));
    } finally {
      synchronized (dispatchLock) {
        running.remove(v.key());
      }
      metrics.buildEnded(ended, Duration.between(tracked.startedAt(), clock.instant()));
      events.statusChanged(v.key());
      tracked.recorded().complete(null);
      dispatch();
    }
  }

  /**
   * Records a build's end now, or keeps it to record once the database answers: a version is never
   * left {@code EXECUTING} with nothing running behind it. An end that cannot be recorded for any
   * other reason is recorded {@code ERROR}.
   */
  private VersionStatus record(VersionKey key, Supplier<VersionStatus> end) {
    try {
      return end.get();
    } catch (CatalogStoreException e) {
      LOG.error(
          "cannot record the end of {} now; trying again until the catalog answers: {}",
          key,
          e.getMessage());
      unrecorded.put(key, end);
      return VersionStatus.ERROR;
    } catch (RuntimeException e) {
      LOG.error("cannot record the end of {}", key, e);
      return record(
          key,
          () -> {
            store.fail(
                key,
                EXECUTING,
                VersionStatus.ERROR,
                new BuildError(
                    BuildError.BUILD_FAILED,
                    "the build ended but its end could not be recorded: " + e.getMessage()),
                clock.instant());
            return VersionStatus.ERROR;
          });
    }
  }

  private VersionStatus recordEnd(
      Version v, BuildResult result, Throwable failure, boolean stopping) {
    Instant now = clock.instant();
    if (failure != null) {
      store.fail(
          v.key(),
          EXECUTING,
          VersionStatus.ERROR,
          new BuildError(BuildError.BUILD_FAILED, String.valueOf(failure.getMessage())),
          now);
      return VersionStatus.ERROR;
    } else if (result instanceof BuildResult.Succeeded) {
      return commit(v, (BuildResult.Succeeded) result);
    } else if (result instanceof BuildResult.Failed) {
      store.fail(
          v.key(), EXECUTING, VersionStatus.ERROR, ((BuildResult.Failed) result).error(), now);
      return VersionStatus.ERROR;
    } else if (stopping) {
      store.fail(
          v.key(),
          EXECUTING,
          VersionStatus.ERROR,
          new BuildError(
              BuildError.INTERRUPTED, "the catalog service stopped while this build was running"),
          now);
      return VersionStatus.ERROR;
    }
    store.fail(v.key(), EXECUTING, VersionStatus.ABORTED, null, now);
    return VersionStatus.ABORTED;
  }

  /**
   * Records a successful build as {@code COMPLETED}, but only if its {@code manifest.json} is on
   * disk with the digest it reported: the content lock keeps the TTL sweeper from deleting the
   * address between the check and the record.
   */
  private VersionStatus commit(Version v, BuildResult.Succeeded done) {
    return artifacts.withContentLock(
        v.dataset(),
        () -> {
          Instant now = clock.instant();
          Optional<byte[]> bytes = artifacts.readManifest(v.dataset(), done.address());
          if (bytes.isEmpty()) {
            store.fail(
                v.key(),
                EXECUTING,
                VersionStatus.ERROR,
                new BuildError(
                    BuildError.CONTENT_REMOVED,
                    "the build's content was removed before it could be recorded; build again"),
                now);
            return VersionStatus.ERROR;
          }
          Manifest manifest;
          try {
            manifest = ManifestJson.readManifest(bytes.get());
          } catch (IOException e) {
            store.fail(
                v.key(),
                EXECUTING,
                VersionStatus.ERROR,
                new BuildError(
                    BuildError.BUILD_FAILED, "the build wrote an unreadable manifest.json"),
                now);
            return VersionStatus.ERROR;
          }
          if (done.contentDigest() != null
              && !done.contentDigest().equals(manifest.contentDigest())) {
            store.fail(
                v.key(),
                EXECUTING,
                VersionStatus.ERROR,
                new BuildError(
                    BuildError.BUILD_FAILED,
                    "the build reported digest "
                        + done.contentDigest()
                        + " but its manifest.json says "
                        + manifest.contentDigest()),
                now);
            return VersionStatus.ERROR;
          }
          int shards = manifest.partitioning() == null ? 0 : manifest.partitioning().shards();
          boolean recorded =
              store.complete(
                  v.key(),
                  new CatalogStore.Completion(
                      manifest.contentDigest(),
                      done.address(),
                      done.manifestUri(),
                      done.buildRecordUri(),
                      new String(bytes.get(), java.nio.charset.StandardCharsets.UTF_8),
                      new Progress(shards, shards, manifest.rowCount(), manifest.bytes()),
                      now,
                      v.ttl() == null ? null : v.ttl().after(now),
                      releases.notes(v, manifest, done.changes())));
          return recorded ? VersionStatus.COMPLETED : VersionStatus.ERROR;
        });
  }

  /**
   * Stops taking builds and stops the running ones; they are recorded {@code ERROR} ({@code
   * interrupted}) like builds cut off by a crash. A build that runs on without the service (a
   * Dataflow job) is only let go, to be re-attached by the next start.
   */
  @Override
  public void close() {
    closing = true;
    timer.shutdownNow();
    List<Tracked> stopping;
    synchronized (dispatchLock) {
      stopping = new ArrayList<>(running.values());
    }
    for (Tracked t : stopping) {
      if (!t.build().detach()) {
        t.build().cancel();
        t.recorded().join();
      }
    }
    launcher.close();
  }
}
