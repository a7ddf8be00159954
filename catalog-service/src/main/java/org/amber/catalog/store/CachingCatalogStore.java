package org.amber.catalog.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.amber.catalog.model.BuildError;
import org.amber.catalog.model.BuildRequest;
import org.amber.catalog.model.DatasetDefinition;
import org.amber.catalog.model.Progress;
import org.amber.catalog.model.Scope;
import org.amber.catalog.model.Ttl;
import org.amber.catalog.model.Version;
import org.amber.catalog.model.VersionKey;
import org.amber.catalog.model.VersionStatus;

/**
 * Answers the hot lookups (a dataset, a version, a dataset's latest version) from memory. Every
 * change goes through this class, which bumps the changed dataset's generation; a cached entry
 * read under an older generation is ignored, so a lookup racing a change can never pin a stale
 * value. This holds because one catalog service owns its database, as its build scheduler
 * already requires.
 */
public final class CachingCatalogStore implements CatalogStore {
  /** Past this many entries a cache starts afresh; lookups are cheap to redo. */
  private static final int MAX_ENTRIES = 10_000;

  private final CatalogStore store;
  private final ConcurrentMap<String, AtomicLong> generations = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Entry<DatasetDefinition>> datasets = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Entry<Version>> latest = new ConcurrentHashMap<>();
  private final ConcurrentMap<VersionKey, Entry<Version>> versions = new ConcurrentHashMap<>();

  /** A looked-up value and the generation of its dataset when the lookup began. */
  private record Entry<T>(long generation, Optional<T> value) {}

  public CachingCatalogStore(CatalogStore store) {
    this.store = store;
  }

  private long generation(String dataset) {
    return generations.computeIfAbsent(dataset, d -> new AtomicLong()).get();
  }

  private void changed(String dataset) {
    generations.computeIfAbsent(dataset, d -> new AtomicLong()).incrementAndGet();
  }

  private <K, T> Optional<T> cached(
      ConcurrentMap<K, Entry<T>> cache, K key, String dataset, Supplier<Optional<T>> load) {
    long generation = generation(dataset);
    Entry<T> entry = cache.get(key);
    if (entry != null && entry.generation() == generation) {
      return entry.value();
    }
    Optional<T> value = load.get();
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear();
    }
    cache.put(key, new Entry<>(generation, value));
    return value;
  }

  @Override
  public Optional<DatasetDefinition> findDataset(String name) {
    return cached(datasets, name, name, () -> store.findDataset(name));
  }

  @Override
  public Optional<Version> findVersion(VersionKey key) {
    return cached(versions, key, key.dataset(), () -> store.findVersion(key));
  }

  @Override
  public Optional<Version> latestCompleted(String dataset) {
    return cached(latest, dataset, dataset, () -> store.latestCompleted(dataset));
  }

  // Everything else passes through; changes mark their dataset changed.

  @Override
  public boolean saveDataset(DatasetDefinition definition) {
    try {
      return store.saveDataset(definition);
    } finally {
      changed(definition.name());
    }
  }

  @Override
  public List<DatasetDefinition> listDatasets(String afterName, int limit) {
    return store.listDatasets(afterName, limit);
  }

  @Override
  public DatasetDeletion deleteDataset(String name, Instant now) {
    try {
      return store.deleteDataset(name, now);
    } finally {
      changed(name);
    }
  }

  @Override
  public Optional<Instant> lastScheduledRun(String dataset) {
    return store.lastScheduledRun(dataset);
  }

  @Override
  public boolean recordScheduledRun(String dataset, Instant previous, Instant run) {
    return store.recordScheduledRun(dataset, previous, run);
  }

  @Override
  public BuildStart startBuild(
      String dataset,
      BuildRequest request,
      String requestKey,
      Ttl ttl,
      IntFunction<String> buildIdFor,
      Instant now) {
    try {
      return store.startBuild(dataset, request, requestKey, ttl, buildIdFor, now);
    } finally {
      changed(dataset);
    }
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
    try {
      return store.changeStatus(key, expected, to, now);
    } finally {
      changed(key.dataset());
    }
  }

  @Override
  public void recordPid(VersionKey key, long pid) {
    try {
      store.recordPid(key, pid);
    } finally {
      changed(key.dataset());
    }
  }

  @Override
  public void recordProgress(VersionKey key, Progress progress) {
    try {
      store.recordProgress(key, progress);
    } finally {
      changed(key.dataset());
    }
  }

  @Override
  public boolean complete(VersionKey key, Completion completion) {
    try {
      return store.complete(key, completion);
    } finally {
      changed(key.dataset());
    }
  }

  @Override
  public boolean fail(
      VersionKey key, Set<VersionStatus> expected, VersionStatus to, BuildError error, Instant now) {
    try {
      return store.fail(key, expected, to, error, now);
    } finally {
      changed(key.dataset());
    }
  }

  @Override
  public boolean setPinned(VersionKey key, boolean pinned) {
    try {
      return store.setPinned(key, pinned);
    } finally {
      changed(key.dataset());
    }
  }

  @Override
  public boolean setExpiresAt(VersionKey key, Instant expiresAt) {
    try {
      return store.setExpiresAt(key, expiresAt);
    } finally {
      changed(key.dataset());
    }
  }

  @Override
  public boolean markDeleted(VersionKey key, Instant now) {
    try {
      return store.markDeleted(key, now);
    } finally {
      changed(key.dataset());
    }
  }

  @Override
  public List<VersionKey> expireDue(Instant now) {
    List<VersionKey> expired = store.expireDue(now);
    expired.forEach(k -> changed(k.dataset()));
    return expired;
  }

  @Override
  public List<VersionKey> expireBeyond(String dataset, int keepLast, Instant now) {
    try {
      return store.expireBeyond(dataset, keepLast, now);
    } finally {
      changed(dataset);
    }
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
    try {
      store.markFilesDeleted(content, now);
    } finally {
      changed(content.dataset());
    }
  }

  @Override
  public Map<VersionStatus, Long> countByStatus() {
    return store.countByStatus();
  }

  @Override
  public void saveToken(String id, String tokenHash, Scope scope, Instant now) {
    store.saveToken(id, tokenHash, scope, now);
  }

  @Override
  public Optional<Scope> scopeOfToken(String tokenHash) {
    return store.scopeOfToken(tokenHash);
  }

  @Override
  public boolean isReachable() {
    return store.isReachable();
  }
}
