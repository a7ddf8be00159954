package org.amber.catalog.build;

import java.io.IOException;
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
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.catalog.artifact.ArtifactStore;
import org.amber.catalog.events.VersionEvents;
import org.amber.catalog.metrics.CatalogMetrics;
import org.amber.catalog.model.BuildError;
import org.amber.catalog.model.BuildRequest;
import org.amber.catalog.model.Progress;
import org.amber.catalog.model.Version;
import org.amber.catalog.model.VersionKey;
import org.amber.catalog.model.VersionStatus;
import org.amber.catalog.source.SourceRegistry;
import org.amber.catalog.store.CatalogStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queued builds, at most {@code maxConcurrentBuilds} at a time, oldest first, and records
 * how each ended. The queue is the catalog itself ({@code QUEUED} versions), so it survives a
 * restart.
 */
public final class BuildScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BuildScheduler.class);
  private static final Set<VersionStatus> EXECUTING = EnumSet.of(VersionStatus.EXECUTING);

  private final CatalogStore store;
  private final BuildLauncher launcher;
  private final SourceRegistry sources;
  private final ArtifactStore artifacts;
  private final VersionEvents events;
  private final CatalogMetrics metrics;
  private final int maxConcurrentBuilds;
  private final Clock clock;

  /** Guards {@link #running}, claiming and launching, so a claimed build is always findable. */
  private final Object dispatchLock = new Object();
  private final Map<VersionKey, Tracked> running = new HashMap<>();
  private volatile boolean closing;

  /** A launched build and a future that completes once its end is recorded. */
  private record Tracked(RunningBuild build, Instant startedAt, CompletableFuture<Void> recorded) {}

  public BuildScheduler(
      CatalogStore store,
      BuildLauncher launcher,
      SourceRegistry sources,
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
    this.artifacts = artifacts;
    this.events = events;
    this.metrics = metrics;
    this.maxConcurrentBuilds = maxConcurrentBuilds;
    this.clock = clock;
  }

  /**
   * Settles what the last run of the service left: builds that were running end {@code ERROR}
   * ({@code interrupted}) with their processes stopped and staging removed — they are not
   * resumed, because a new snapshot would make them a different build — and pending ones queue.
   */
  public void recoverAfterRestart() {
    for (Version v : store.versionsIn(EXECUTING)) {
      launcher.cleanUpInterrupted(v.dataset(), v.buildId(), v.pid());
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

  /** Starts queued builds while there are free slots. Call after queueing one. */
  public void dispatch() {
    synchronized (dispatchLock) {
      while (!closing && running.size() < maxConcurrentBuilds) {
        Optional<Version> next = store.claimNextQueued(clock.instant());
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
    BuildSpec spec =
        new BuildSpec(
            v.buildId(),
            v.dataset(),
            source.get().jdbcUrl(),
            source.get().password(),
            request.query(),
            request.table(),
            request.formats(),
            request.partitionColumn(),
            request.partitions(),
            source.get().statementTimeout());
    RunningBuild build;
    try {
      build = launcher.launch(spec, progress -> store.recordProgress(key, progress));
    } catch (IOException | RuntimeException e) {
      LOG.error("cannot start {}: {}", spec, e.getMessage());
      endWithoutRunning(v, "the build could not be started: " + e.getMessage());
      return;
    }
    Tracked tracked = new Tracked(build, clock.instant(), new CompletableFuture<>());
    running.put(key, tracked);
    store.recordPid(key, build.pid());
    build.result().whenComplete((result, failure) -> finish(v, tracked, result, failure));
  }

  private void endWithoutRunning(Version v, String message) {
    store.fail(
        v.key(),
        EXECUTING,
        VersionStatus.ERROR,
        new BuildError(BuildError.LAUNCH_FAILED, message),
        clock.instant());
    events.statusChanged(v.key());
    metrics.buildEnded(VersionStatus.ERROR, Duration.ZERO);
  }

  private void finish(Version v, Tracked tracked, BuildResult result, Throwable failure) {
    VersionStatus ended = VersionStatus.ERROR;
    try {
      if (failure != null) {
        store.fail(v.key(), EXECUTING, VersionStatus.ERROR,
            new BuildError(BuildError.BUILD_FAILED, String.valueOf(failure.getMessage())),
            clock.instant());
      } else if (result instanceof BuildResult.Succeeded) {
        ended = commit(v, (BuildResult.Succeeded) result);
      } else if (result instanceof BuildResult.Failed) {
        store.fail(v.key(), EXECUTING, VersionStatus.ERROR, ((BuildResult.Failed) result).error(),
            clock.instant());
      } else if (closing) {
        store.fail(v.key(), EXECUTING, VersionStatus.ERROR,
            new BuildError(BuildError.INTERRUPTED, "the catalog service stopped while this build was running"),
            clock.instant());
      } else {
        ended = VersionStatus.ABORTED;
        store.fail(v.key(), EXECUTING, VersionStatus.ABORTED, null, clock.instant());
      }
    } catch (RuntimeException e) {
      LOG.error("cannot record the end of {}", v.key(), e);
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
            store.fail(v.key(), EXECUTING, VersionStatus.ERROR,
                new BuildError(BuildError.CONTENT_REMOVED,
                    "the build's content was removed before it could be recorded; build again"),
                now);
            return VersionStatus.ERROR;
          }
          Manifest manifest;
          try {
            manifest = ManifestJson.readManifest(bytes.get());
          } catch (IOException e) {
            store.fail(v.key(), EXECUTING, VersionStatus.ERROR,
                new BuildError(BuildError.BUILD_FAILED, "the build wrote an unreadable manifest.json"),
                now);
            return VersionStatus.ERROR;
          }
          if (done.contentDigest() != null && !done.contentDigest().equals(manifest.contentDigest())) {
            store.fail(v.key(), EXECUTING, VersionStatus.ERROR,
                new BuildError(BuildError.BUILD_FAILED,
                    "the build reported digest " + done.contentDigest()
                        + " but its manifest.json says " + manifest.contentDigest()),
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
                      v.ttl() == null ? null : v.ttl().after(now)));
          return recorded ? VersionStatus.COMPLETED : VersionStatus.ERROR;
        });
  }

  /**
   * Stops taking builds and stops the running ones; they are recorded {@code ERROR}
   * ({@code interrupted}) like builds cut off by a crash.
   */
  @Override
  public void close() {
    closing = true;
    List<Tracked> stopping;
    synchronized (dispatchLock) {
      stopping = new ArrayList<>(running.values());
    }
    for (Tracked t : stopping) {
      t.build().cancel();
      t.recorded().join();
    }
  }
}
