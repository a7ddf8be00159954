package org.amber.catalog.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.amber.catalog.artifact.ArtifactStore;
import org.amber.catalog.domain.model.VersionKey;
import org.amber.catalog.store.CatalogStore;
import org.amber.catalog.store.CatalogStore.ContentRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the catalog's housekeeping on a fixed interval: expires versions past their TTL, and after a
 * grace period deletes the files of expired and deleted versions — but never a content address that
 * a live (completed or pinned) version of the same dataset still points at.
 *
 * <p>The grace lets a download that started before expiry finish: the files outlive the version's
 * status by that long.
 */
public final class LifecycleSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LifecycleSweeper.class);
  private final CatalogStore store;
  private final ArtifactStore artifacts;
  private final VersionEvents events;
  private final Clock clock;
  private final Duration deletionGrace;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "lifecycle-sweeper");
            t.setDaemon(true);
            return t;
          });

  public LifecycleSweeper(
      CatalogStore store,
      ArtifactStore artifacts,
      VersionEvents events,
      Clock clock,
      Duration deletionGrace) {
    this.store = store;
    this.artifacts = artifacts;
    this.events = events;
    this.clock = clock;
    this.deletionGrace = deletionGrace;
  }

  public void start(Duration interval) {
    timer.scheduleWithFixedDelay(
        this::sweepSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sweepSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.error("lifecycle sweep failed; trying again next interval", e);
    }
  }

  /** One pass; public so an operator action or a test can run it at a known moment. */
  public void sweep() {
    Instant now = clock.instant();
    for (VersionKey expired : store.expireDue(now)) {
      LOG.info("{} expired", expired);
      events.statusChanged(expired);
    }
    for (ContentRef content : store.releasableContent(now.minus(deletionGrace))) {
      artifacts.withContentLock(
          content.dataset(),
          () -> {
            if (!store.isReferencedByLiveVersion(content)) {
              artifacts.deleteContent(content.dataset(), content.address());
              store.markFilesDeleted(content, clock.instant());
              LOG.info("deleted {}/{}", content.dataset(), content.address());
            }
            return null;
          });
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
