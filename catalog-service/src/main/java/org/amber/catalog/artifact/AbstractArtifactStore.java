package org.amber.catalog.artifact;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * What every storage of artifacts shares: its root, the per-dataset lock that keeps a commit and a
 * deletion of one dataset from interleaving, and reading the small JSON files by URI.
 */
abstract class AbstractArtifactStore implements ArtifactStore {
  private final String root;
  private final ConcurrentMap<String, Object> datasetLocks = new ConcurrentHashMap<>();

  AbstractArtifactStore(String root) {
    this.root = root;
  }

  @Override
  public final String rootUri() {
    return root;
  }

  @Override
  public final <T> T withContentLock(String dataset, Supplier<T> work) {
    synchronized (datasetLocks.computeIfAbsent(dataset, d -> new Object())) {
      return work.get();
    }
  }

  @Override
  public final Optional<byte[]> readManifest(String dataset, String address) {
    return read(layout(dataset).manifest(address));
  }

  @Override
  public final Optional<byte[]> readBuildRecord(String dataset, String buildId) {
    return read(layout(dataset).buildRecord(buildId));
  }

  /** The whole file or object at a URI under the root; empty when there is none. */
  abstract Optional<byte[]> read(String uri);
}
