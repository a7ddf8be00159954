package org.amber.catalog.domain.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.amber.catalog.domain.VersionEvents;
import org.amber.catalog.domain.VersionService;
import org.amber.catalog.domain.model.CatalogException;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Schedule;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.domain.model.VersionKey;
import org.amber.catalog.domain.model.VersionStatus;
import org.amber.catalog.store.CatalogStore;
import org.amber.catalog.store.CatalogStore.ScheduledDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts each scheduled dataset's builds on time: one timer, armed for the earliest next run over
 * all timetables, so a run starts within milliseconds of its time rather than at the next poll. It
 * re-arms after every pass, when a schedule changes ({@link ScheduleChanges}) and when told the
 * clock jumped ({@link #wake}); it never sleeps longer than {@code safetyTick}, so a schedule set
 * through another service instance, or a clock stepped by the system, is noticed within that.
 *
 * <p>Runs are claimed in the catalog database ({@link VersionService#startScheduled}): a run is
 * started once however many instances share the catalog, and after downtime only the newest missed
 * run is made up ({@link NextRun}). Every completion of a scheduled dataset's version expires its
 * completed versions beyond {@code keep_last}; so does the first pass after start (completions
 * recorded while recovering from a restart) and after a schedule changed (a lower {@code
 * keep_last}), but not the timer's own passes, which would only repeat it.
 */
public final class TimetableScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TimetableScheduler.class);

  /** How soon a pass whose claim lost to a concurrent change looks again, with fresh reads. */
  private static final Duration RETRY = Duration.ofSeconds(1);

  /** How soon a pass that failed (the catalog database out of reach) is tried again. */
  private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

  private final CatalogStore store;
  private final VersionService versions;
  private final VersionEvents events;
  private final Clock clock;
  private final Duration safetyTick;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "timetables");
            t.setDaemon(true);
            return t;
          });

  /** The armed pass; replaced (and the old one cancelled) on every re-arm. */
  private ScheduledFuture<?> armed;

  /** Counts re-arms, so a pass knows whether a newer one was armed while it ran. */
  private long armings;

  private boolean started;

  /** Whether the next pass applies keep_last to every scheduled dataset. */
  private boolean tidyUp;

  public TimetableScheduler(
      CatalogStore store,
      VersionService versions,
      VersionEvents events,
      ScheduleChanges changes,
      Clock clock,
      Duration safetyTick) {
    this.store = store;
    this.versions = versions;
    this.events = events;
    this.clock = clock;
    this.safetyTick = safetyTick;
    changes.subscribe(this::wake);
    events.onStatusChange(this::versionChanged);
  }

  /** Runs what is due now and arms the timer for the next run. */
  public synchronized void start() {
    started = true;
    tidyUp = true;
    arm(Duration.ZERO);
  }

  /**
   * Looks at the timetables now rather than at the armed moment: a schedule changed, or the clock
   * jumped (a test's clock, or an operator stepping the system clock).
   */
  public synchronized void wake() {
    if (started) {
      tidyUp = true;
      arm(Duration.ZERO);
    }
  }

  private synchronized void arm(Duration delay) {
    if (armed != null) {
      armed.cancel(false);
    }
    long arming = ++armings;
    try {
      armed = timer.schedule(() -> passSafely(arming), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      armed = null;
    }
  }

  private void passSafely(long arming) {
    Duration next;
    try {
      next = pass();
    } catch (RuntimeException e) {
      next = RETRY_AFTER_FAILURE.compareTo(safetyTick) < 0 ? RETRY_AFTER_FAILURE : safetyTick;
      LOG.error("timetable pass failed; trying again in {}: {}", next, e.getMessage());
      synchronized (this) {
        tidyUp = true;
      }
    }
    synchronized (this) {
      // A wake() during the pass armed a newer one already; this pass's answer is older.
      if (arming == armings) {
        arm(next);
      }
    }
  }

  /**
   * Starts every run that is due and, when asked to tidy up, expires beyond {@code keep_last}.
   *
   * @return how long until the earliest next run, at most the safety tick
   */
  private Duration pass() {
    boolean tidy;
    synchronized (this) {
      tidy = tidyUp;
      tidyUp = false;
    }
    Instant now = clock.instant();
    Instant wakeAt = now.plus(safetyTick);
    for (ScheduledDataset scheduled : store.scheduledDatasets()) {
      DatasetDefinition d = scheduled.definition();
      Instant lastRun = scheduled.lastRun();
      Optional<Instant> next = NextRun.of(d.schedule(), lastRun, now);
      if (next.isPresent() && !next.get().isAfter(now)) {
        if (start(d, next.get())) {
          lastRun = next.get();
          next = NextRun.of(d.schedule(), lastRun, now);
        } else {
          next = Optional.of(now.plus(RETRY));
        }
      }
      if (tidy) {
        expireBeyondKeepLast(d.name(), d.schedule(), now);
      }
      if (next.isPresent() && next.get().isBefore(wakeAt)) {
        wakeAt = next.get();
      }
    }
    Duration delay = Duration.between(clock.instant(), wakeAt);
    return delay.isNegative() ? Duration.ZERO : delay;
  }

  /** True when the run was started here or already by someone else: nothing left to retry. */
  private boolean start(DatasetDefinition d, Instant slot) {
    try {
      Optional<VersionService.StartedBuild> started = versions.startScheduled(d, slot);
      if (started.isEmpty()) {
        // Another instance took the run, or the definition changed under us: look again.
        Optional<Instant> last = store.lastScheduledRun(d.name());
        return last.isPresent() && !last.get().isBefore(slot);
      }
      Version v = started.get().version();
      LOG.info(
          "{} run {} of {}: version {}{}",
          d.schedule().cron(),
          slot,
          d.name(),
          v.number(),
          started.get().created() ? "" : " (joined the identical build under way)");
    } catch (CatalogException e) {
      LOG.warn("the {} run of {} was not started: {}", slot, d.name(), e.getMessage());
    }
    return true;
  }

  private void expireBeyondKeepLast(String dataset, Schedule schedule, Instant now) {
    for (VersionKey expired : store.expireBeyond(dataset, schedule.keepLast(), now)) {
      LOG.info("{} expired: beyond keep_last {}", expired, schedule.keepLast());
      events.statusChanged(expired);
    }
  }

  /** A completed version of a scheduled dataset may push an older one beyond keep_last. */
  private void versionChanged(VersionKey key) {
    try {
      timer.execute(
          () -> {
            try {
              Optional<Version> v = store.findVersion(key);
              if (v.isEmpty() || v.get().status() != VersionStatus.COMPLETED) {
                return;
              }
              store
                  .findDataset(key.dataset())
                  .filter(d -> d.schedule() != null)
                  .ifPresent(d -> expireBeyondKeepLast(d.name(), d.schedule(), clock.instant()));
            } catch (RuntimeException e) {
              LOG.warn("keep_last after {} not applied yet: {}", key, e.getMessage());
            }
          });
    } catch (RejectedExecutionException closed) {
      // Shutting down: the next start's first pass applies keep_last.
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
