package org.amber.catalog.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.amber.catalog.domain.model.BuildError;
import org.amber.catalog.domain.model.BuildRequest;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Progress;
import org.amber.catalog.domain.model.Scope;
import org.amber.catalog.domain.model.Ttl;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.domain.model.VersionKey;
import org.amber.catalog.domain.model.VersionStatus;

/**
 * Answers the hot lookups (a dataset, a version, a dataset's latest version) from memory. Every
 * change goes through this class, which gives the changed dataset a new generation; a cached entry
 * read under an older generation is ignored, so a lookup racing a change can never pin a stale
 * value. Generations only see this instance's changes: when service instances share one database
 * (each may run the timetables), another instance's changes reach this one within {@link
 * #MAX_STALENESS}, the longest an entry is kept; a version that is still building is never kept,
 * since another process moves it on. What instances coordinate on (timetable runs, queued builds)
 * is never answered from here.
 *
 * <p>Every cache is bounded: clients choose the names looked up, unknown ones included. A
 * generation is a number never handed out before (from one counter), so a dataset whose generation
 * was evicted gets a new one that no cached entry can carry.
 */
public final class CachingCatalogStore implements CatalogStore {
  /** Entries per cache; lookups past it are cheap to redo. */
  static final int MAX_ENTRIES = 10_000;

  /** How long an entry is trusted: the most another instance's change can go unseen here. */
  static final Duration MAX_STALENESS = Duration.ofSeconds(2);

  private final CatalogStore store;
  private final AtomicLong lastGeneration = new AtomicLong();
  private final Cache<String, Long> generations;
  private final Cache<String, Entry<DatasetDefinition>> datasets;
  private final Cache<String, Entry<Version>> latest;
  private final Cache<VersionKey, Entry<Version>> versions;

  /** A looked-up value and the generation of its dataset when the lookup began. */
  private record Entry<T>(long generation, Optional<T> value) {}

  public CachingCatalogStore(CatalogStore store) {
    this(store, MAX_ENTRIES);
  }

  CachingCatalogStore(CatalogStore store, int maxEntries) {
    this.store = store;
    // Generations outlive the entries they guard, so evicting one rarely forces a reload.
    this.generations = Caffeine.newBuilder().maximumSize(2L * maxEntries).build();
    this.datasets = bounded(maxEntries);
    this.latest = bounded(maxEntries);
    this.versions = bounded(maxEntries);
  }

  private static <K, V> Cache<K, V> bounded(int maxEntries) {
    return Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(MAX_STALENESS).build();
  }

  private long generation(String dataset) {
    return generations.get(dataset, d -> lastGeneration.incrementAndGet());
  }

  private void changed(String dataset) {
    generations.put(dataset, lastGeneration.incrementAndGet());
  }

  /** Runs a write to {@code dataset}, then marks it changed, even when the write fails part way. */
  private <T> T write(String dataset, Supplier<T> change) {
    try {
      return change.get();
    } finally {
      changed(dataset);
    }
  }

  private void run(String dataset, Runnable change) {
    try {
      change.run();
    } finally {
      changed(dataset);
    }
  }

  private <K, T> Optional<T> cached(
      Cache<K, Entry<T>> cache, K key, String dataset, Supplier<Optional<T>> load) {
    return cached(cache, key, dataset, load, value -> true);
  }

  /**
   * @param keep whether a loaded value may be kept for the next lookup
   */
  private <K, T> Optional<T> cached(
      Cache<K, Entry<T>> cache,
      K key,
      String dataset,
      Supplier<Optional<T>> load,
      Predicate<Optional<T>> keep) {
    long generation = generation(dataset);
    Entry<T> entry = cache.getIfPresent(key);
    if (entry != null && entry.generation() == generation) {
      return entry.value();
    }
    Optional<T> value = load.get();
    if (keep.test(value)) {
      cache.put(key, new Entry<>(generation, value));
    }
    return value;
  }

  /** The entries held per cache, after pending evictions: for tests of the bound. */
  Map<String, Long> sizes() {
    Map<String, Cache<?, ?>> caches =
        Map.of(
            "generations",
            generations,
            "datasets",
            datasets,
            "latest",
            latest,
            "versions",
            versions);
    Map<String, Long> sizes = new java.util.TreeMap<>();
    caches.forEach(
        (name, cache) -> {
          cache.cleanUp();
          sizes.put(name, cache.estimatedSize());
        });
    return sizes;
  }

  @Override
  public Optional<DatasetDefinition> findDataset(String name) {
    return cached(datasets, name, name, () -> store.findDataset(name));
  }

  @Override
  public Optional<Version> findVersion(VersionKey key) {
    return cached(
        versions,
        key,
        key.dataset(),
        () -> store.findVersion(key),
        v -> v.isEmpty() || !v.get().status().isActive());
  }

  @Override
  public Optional<Version> latestCompleted(String dataset) {
    return cached(latest, dataset, dataset, () -> store.latestCompleted(dataset));
  }

  // Everything else passes through; changes mark their dataset changed.

  @Override
  public boolean saveDataset(DatasetDefinition definition) {
    return write(definition.name(), () -> store.saveDataset(definition));
  }

  @Override
  public List<DatasetDefinition> listDatasets(String afterName, int limit) {
    return store.listDatasets(afterName, limit);
  }

  @Override
  public DatasetDeletion deleteDataset(String name, Instant now) {
    return write(name, () -> store.deleteDataset(name, now));
  }

  @Override
  public Optional<Instant> lastScheduledRun(String dataset) {
    return store.lastScheduledRun(dataset);
  }

  @Override
  public List<ScheduledDataset> scheduledDatasets() {
    return store.scheduledDatasets();
  }

  @Override
  public Optional<BuildStart> startScheduledBuild(
      DatasetDefinition definition,
      Instant slot,
      String requestKey,
      Ttl ttl,
      IntFunction<String> buildIdFor,
      Instant now) {
    return write(
        definition.name(),
        () -> store.startScheduledBuild(definition, slot, requestKey, ttl, buildIdFor, now));
  }

  @Override
  public BuildStart startBuild(
      String dataset,
      BuildRequest request,
      String requestKey,
      Ttl ttl,
      IntFunction<String> buildIdFor,
      Instant now) {
    return write(
        dataset, () -> store.startBuild(dataset, request, requestKey, ttl, buildIdFor, now));
  }

  @Override
  public Optional<Version> freshestCompleted(String dataset, String requestKey, Instant notBefore) {
    return store.freshestCompleted(dataset, requestKey, notBefore);
  }

  @Override
  public List<Version> listVersions(String dataset, Integer beforeNumber, int limit) {
    return store.listVersions(dataset, beforeNumber, limit);
  }

  @Override
  public List<Version> versionsIn(Set<VersionStatus> statuses) {
    return store.versionsIn(statuses);
  }

  @Override
  public Optional<Version> claimNextQueued(Instant now) {
    Optional<Version> claimed = store.claimNextQueued(now);
    claimed.ifPresent(v -> changed(v.dataset()));
    return claimed;
  }

  @Override
  public boolean changeStatus(
      VersionKey key, Set<VersionStatus> expected, VersionStatus to, Instant now) {
    return write(key.dataset(), () -> store.changeStatus(key, expected, to, now));
  }

  @Override
  public void recordPid(VersionKey key, long pid) {
    run(key.dataset(), () -> store.recordPid(key, pid));
  }

  @Override
  public void recordJob(VersionKey key, String job) {
    run(key.dataset(), () -> store.recordJob(key, job));
  }

  @Override
  public void recordProgress(VersionKey key, Progress progress) {
    run(key.dataset(), () -> store.recordProgress(key, progress));
  }

  @Override
  public boolean complete(VersionKey key, Completion completion) {
    return write(key.dataset(), () -> store.complete(key, completion));
  }

  @Override
  public boolean fail(
      VersionKey key,
      Set<VersionStatus> expected,
      VersionStatus to,
      BuildError error,
      Instant now) {
    return write(key.dataset(), () -> store.fail(key, expected, to, error, now));
  }

  @Override
  public boolean setPinned(VersionKey key, boolean pinned) {
    return write(key.dataset(), () -> store.setPinned(key, pinned));
  }

  @Override
  public boolean setExpiresAt(VersionKey key, Instant expiresAt) {
    return write(key.dataset(), () -> store.setExpiresAt(key, expiresAt));
  }

  @Override
  public boolean markDeleted(VersionKey key, Instant now) {
    return write(key.dataset(), () -> store.markDeleted(key, now));
  }

  @Override
  public List<VersionKey> expireDue(Instant now) {
    List<VersionKey> expired = store.expireDue(now);
    expired.forEach(k -> changed(k.dataset()));
    return expired;
  }

  @Override
  public List<VersionKey> expireBeyond(String dataset, int keepLast, Instant now) {
    return write(dataset, () -> store.expireBeyond(dataset, keepLast, now));
  }

  @Override
  public List<ContentRef> releasableContent(Instant tombstonedBefore) {
    return store.releasableContent(tombstonedBefore);
  }

  @Override
  public boolean isReferencedByLiveVersion(ContentRef content) {
    return store.isReferencedByLiveVersion(content);
  }

  @Override
  public void markFilesDeleted(ContentRef content, Instant now) {
    run(content.dataset(), () -> store.markFilesDeleted(content, now));
  }

  @Override
  public Map<VersionStatus, Long> countByStatus() {
    return store.countByStatus();
  }

  // Tokens are never cached: a revoke by another process must count at the next request.

  @Override
  public void saveToken(String id, String tokenHash, Scope scope, String name, Instant now) {
    store.saveToken(id, tokenHash, scope, name, now);
  }

  @Override
  public Optional<StoredToken> findLiveToken(String tokenHash) {
    return store.findLiveToken(tokenHash);
  }

  @Override
  public List<StoredToken> listLiveTokens() {
    return store.listLiveTokens();
  }

  @Override
  public boolean revokeToken(String id, Instant now) {
    return store.revokeToken(id, now);
  }

  @Override
  public void recordTokenUse(String id, Instant now, Instant usedSince) {
    store.recordTokenUse(id, now, usedSince);
  }

  @Override
  public boolean isReachable() {
    return store.isReachable();
  }
}
