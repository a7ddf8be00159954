package org.amber.catalog.domain;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.amber.artifacts.manifest.ContentDigest;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.catalog.domain.model.BuildRequest;
import org.amber.catalog.domain.model.CatalogException;
import org.amber.catalog.domain.model.CatalogException.Part;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Schedule;
import org.amber.catalog.domain.model.Ttl;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.domain.model.VersionKey;
import org.amber.catalog.domain.model.VersionStatus;
import org.amber.catalog.store.CatalogStore;

/**
 * The version lifecycle: starting builds (joining an identical one already under way), waiting for
 * them, cancelling, deleting, pinning and changing expiry. Which change is allowed in which status
 * is decided here.
 */
public final class VersionService {
  /** The furthest ahead a client may set an expiry. */
  private static final Duration LONGEST_EXPIRY = Ttl.LONGEST;

  private final CatalogStore store;
  private final DatasetService datasets;
  private final BuildScheduler scheduler;
  private final VersionEvents events;
  private final Executor waiters;
  private final Clock clock;
  private final Ttl adHocTtl;
  private final SecureRandom random = new SecureRandom();
  private final Manifests manifests = new Manifests();

  /**
   * @param waiters runs the re-reads that wake long polls, off the timer and build threads
   * @param adHocTtl the TTL of an ad-hoc build that names none
   */
  public VersionService(
      CatalogStore store,
      DatasetService datasets,
      BuildScheduler scheduler,
      VersionEvents events,
      Executor waiters,
      Clock clock,
      Ttl adHocTtl) {
    this.store = store;
    this.datasets = datasets;
    this.scheduler = scheduler;
    this.events = events;
    this.waiters = waiters;
    this.clock = clock;
    this.adHocTtl = adHocTtl;
  }

  /** A build asked for: the version, and whether this request created it or joined one. */
  public record StartedBuild(Version version, boolean created) {}

  /**
   * Starts a build of a dataset's current definition, or joins the identical one already queued or
   * running.
   *
   * @param ttl overrides the dataset's default TTL when not null
   */
  public StartedBuild start(String dataset, Ttl ttl) {
    DatasetDefinition definition = datasets.get(dataset);
    return start(definition, ttl == null ? definition.defaultTtl() : ttl);
  }

  private StartedBuild start(DatasetDefinition definition, Ttl ttl) {
    BuildRequest request = definition.build();
    CatalogStore.BuildStart start =
        store.startBuild(
            definition.name(),
            request,
            requestKey(request, ttl),
            ttl,
            number -> definition.name() + ".v" + number + "." + randomSuffix(),
            clock.instant());
    if (start.created()) {
      events.statusChanged(start.version().key());
      scheduler.dispatch();
    }
    return new StartedBuild(get(start.version().key()), start.created());
  }

  /**
   * Starts run {@code slot} of a dataset's timetable, unless that run (or a later one) was already
   * started, here or by another service instance sharing the catalog, or the definition changed
   * since it was read. An identical build already under way is joined rather than doubled.
   *
   * @param definition the scheduled definition as just read from the catalog
   * @return empty when this call did not claim the run
   */
  public Optional<StartedBuild> startScheduled(DatasetDefinition definition, Instant slot) {
    Schedule schedule = definition.schedule();
    Ttl ttl = schedule.ttl() == null ? definition.defaultTtl() : schedule.ttl();
    Optional<CatalogStore.BuildStart> start =
        store.startScheduledBuild(
            definition,
            slot,
            requestKey(definition.build(), ttl),
            ttl,
            number -> definition.name() + ".v" + number + "." + randomSuffix(),
            clock.instant());
    start
        .filter(CatalogStore.BuildStart::created)
        .ifPresent(
            s -> {
              events.statusChanged(s.version().key());
              scheduler.dispatch();
            });
    return start.map(s -> new StartedBuild(s.version(), s.created()));
  }

  /** What {@code POST /v1/materialise} did. */
  public sealed interface Materialised {
    /** A completed identical build young enough was found; no build was started. */
    record Reused(Version version) implements Materialised {}

    record Started(StartedBuild build) implements Materialised {}
  }

  /**
   * Builds the result of an ad-hoc query into an auto-named dataset ({@code auto-<hash>} of the
   * request), reusing a completed identical build that finished within {@code maxStaleness}.
   *
   * @param ttl how long the version lives; null for the catalog's ad-hoc default
   * @param staleness null to always build
   */
  public Materialised materialise(DatasetSpec spec, Ttl ttl, Ttl staleness) {
    Ttl versionTtl = ttl == null ? adHocTtl : ttl;
    DatasetSpec adHoc =
        new DatasetSpec(
            spec.source(),
            spec.query(),
            spec.table(),
            spec.formats(),
            spec.partitionColumn(),
            spec.partitions(),
            versionTtl,
            spec.description(),
            spec.creators(),
            spec.license(),
            null);
    BuildRequest build = datasets.checkBuildRequest(adHoc);
    String name = autoName(build);
    DatasetDefinition definition = datasets.defineAdHoc(name, build, adHoc).definition();
    if (staleness != null) {
      Instant now = clock.instant();
      Instant notBefore = now.minus(Duration.between(now, staleness.after(now)));
      Optional<Version> fresh =
          store.freshestCompleted(name, requestKey(definition.build(), versionTtl), notBefore);
      if (fresh.isPresent()) {
        return new Materialised.Reused(fresh.get());
      }
    }
    return new Materialised.Started(start(definition, versionTtl));
  }

  /** {@code auto-} and 16 hex digits of the request's digest: the same request, the same name. */
  static String autoName(BuildRequest request) {
    return "auto-" + ContentDigest.of(ManifestJson.canonicalBytes(request)).hex().substring(0, 16);
  }

  public Version get(VersionKey key) {
    DatasetService.requireName(key.dataset());
    return store
        .findVersion(key)
        .orElseThrow(
            () ->
                CatalogException.notFound(
                    "no version " + key.number() + " of dataset '" + key.dataset() + "'"));
  }

  /** Newest first. */
  public List<Version> list(String dataset, Integer beforeNumber, int limit) {
    List<Version> versions = store.listVersions(dataset, beforeNumber, limit);
    if (versions.isEmpty()) {
      datasets.get(dataset);
    }
    return versions;
  }

  public Version latestCompleted(String dataset) {
    datasets.get(dataset);
    return store
        .latestCompleted(dataset)
        .orElseThrow(
            () ->
                CatalogException.notFound(
                    "dataset '" + dataset + "' has no completed version yet"));
  }

  /** The manifest a version points at, or null before it completed. */
  public Manifest manifest(Version v) {
    return manifests.of(v);
  }

  public Optional<Version> findLatestCompleted(String dataset) {
    return store.latestCompleted(dataset);
  }

  /**
   * Completes with the version once its build has ended, or as it is when {@code timeout} passes.
   */
  public CompletableFuture<Version> awaitFinished(VersionKey key, Duration timeout) {
    return await(key, v -> v.status().isFinished(), System.nanoTime() + timeout.toNanos());
  }

  /**
   * Completes with the version once its status differs from {@code seen}, or at {@code timeout}; at
   * once when its build has already ended, since only a client or the TTL changes it then.
   */
  public CompletableFuture<Version> awaitChange(
      VersionKey key, VersionStatus seen, Duration timeout) {
    return await(
        key,
        v -> v.status() != seen || v.status().isFinished(),
        System.nanoTime() + timeout.toNanos());
  }

  private CompletableFuture<Version> await(VersionKey key, Predicate<Version> done, long deadline) {
    long left = deadline - System.nanoTime();
    CompletableFuture<Void> change = events.nextChange(key, Duration.ofNanos(Math.max(left, 0)));
    Version now;
    try {
      now = get(key);
    } catch (RuntimeException e) {
      change.cancel(false);
      throw e;
    }
    if (done.test(now) || left <= 0) {
      // Leaves the events map now rather than at the timeout.
      change.cancel(false);
      return CompletableFuture.completedFuture(now);
    }
    return change.thenComposeAsync(ignored -> await(key, done, deadline), waiters);
  }

  /**
   * Aborts a queued or running build; a running one's process is stopped and its staging removed.
   */
  public Version cancel(VersionKey key) {
    Version v = get(key);
    if (v.status() == VersionStatus.PENDING || v.status() == VersionStatus.QUEUED) {
      if (store.fail(
          key,
          EnumSet.of(VersionStatus.PENDING, VersionStatus.QUEUED),
          VersionStatus.ABORTED,
          null,
          clock.instant())) {
        events.statusChanged(key);
        return get(key);
      }
      v = get(key);
    }
    if (v.status() == VersionStatus.EXECUTING && scheduler.cancel(key)) {
      return get(key);
    }
    v = get(key);
    if (v.status() == VersionStatus.ABORTED) {
      return v;
    }
    throw CatalogException.conflict(
        "version "
            + key.number()
            + " of '"
            + key.dataset()
            + "' is "
            + v.status()
            + "; only a queued or running build can be cancelled");
  }

  /** Turns a finished version into a tombstone; its files go after the grace period. */
  public void delete(VersionKey key) {
    Version v = get(key);
    if (v.status() == VersionStatus.DELETED) {
      return;
    }
    if (v.pinned()) {
      throw CatalogException.conflict(
          "version " + key.number() + " of '" + key.dataset() + "' is pinned; unpin it first");
    }
    if (v.status().isActive()) {
      throw CatalogException.conflict(
          "version "
              + key.number()
              + " of '"
              + key.dataset()
              + "' is still building; cancel it first");
    }
    if (!store.markDeleted(key, clock.instant())) {
      throw CatalogException.conflict(
          "version " + key.number() + " of '" + key.dataset() + "' changed meanwhile; try again");
    }
    events.statusChanged(key);
  }

  /** Pinned versions never expire and cannot be deleted. */
  public Version pin(VersionKey key, boolean pinned) {
    Version v = get(key);
    if (v.status() != VersionStatus.COMPLETED) {
      throw CatalogException.conflict(
          "only a completed version can be "
              + (pinned ? "pinned" : "unpinned")
              + "; version "
              + key.number()
              + " is "
              + v.status());
    }
    if (!store.setPinned(key, pinned)) {
      throw CatalogException.conflict(
          "version " + key.number() + " of '" + key.dataset() + "' changed meanwhile; try again");
    }
    return get(key);
  }

  /** Moves a completed version's expiry; null means it never expires. */
  public Version setExpiry(VersionKey key, Instant expiresAt) {
    Instant now = clock.instant();
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw CatalogException.invalid(
          Part.EXPIRY, "'expires_at' must be in the future; DELETE the version to remove it now");
    }
    if (expiresAt != null && expiresAt.isAfter(now.plus(LONGEST_EXPIRY))) {
      throw CatalogException.invalid(Part.EXPIRY, "'expires_at' is more than 100 years away");
    }
    Version v = get(key);
    if (v.status() != VersionStatus.COMPLETED) {
      throw CatalogException.conflict(
          "only a completed version's expiry can change; version "
              + key.number()
              + " is "
              + v.status());
    }
    if (!store.setExpiresAt(key, expiresAt)) {
      throw CatalogException.conflict(
          "version " + key.number() + " of '" + key.dataset() + "' changed meanwhile; try again");
    }
    return get(key);
  }

  /** Identity of a build for single-flight and reuse: what it reads and how long it lives. */
  static String requestKey(BuildRequest request, Ttl ttl) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("request", request);
    identity.put("ttl", ttl == null ? null : ttl.toString());
    return ContentDigest.of(ManifestJson.canonicalBytes(identity)).hex();
  }

  private String randomSuffix() {
    byte[] bytes = new byte[4];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
