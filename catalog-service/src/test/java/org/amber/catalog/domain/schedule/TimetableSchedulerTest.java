package org.amber.catalog.domain.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.amber.catalog.artifact.LocalArtifactStore;
import org.amber.catalog.build.BuildLauncher;
import org.amber.catalog.build.BuildListener;
import org.amber.catalog.build.BuildSpec;
import org.amber.catalog.build.RunningBuild;
import org.amber.catalog.domain.BuildScheduler;
import org.amber.catalog.domain.CatalogMetrics;
import org.amber.catalog.domain.DatasetService;
import org.amber.catalog.domain.DatasetSpec;
import org.amber.catalog.domain.SourceRegistry;
import org.amber.catalog.domain.SourceRoles;
import org.amber.catalog.domain.VersionEvents;
import org.amber.catalog.domain.VersionService;
import org.amber.catalog.domain.model.Schedule;
import org.amber.catalog.domain.model.Ttl;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.store.CachingCatalogStore;
import org.amber.catalog.store.CatalogDatabase;
import org.amber.catalog.store.CatalogStore;
import org.amber.catalog.store.PostgresCatalogStore;
import org.amber.catalog.testing.MutableClock;
import org.amber.catalog.testing.Poll;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two timetable schedulers, as two service instances would have, each with its own cache over one
 * real catalog database, woken together many times per run: every run starts exactly one version.
 * Builds are not run (the launcher refuses, so each version ends at once and never joins the next),
 * which keeps this fast enough to race many runs.
 */
class TimetableSchedulerTest {
  private static final int RUNS = 20;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:30Z"));
  private final List<AutoCloseable> open = new ArrayList<>();

  /** One instance: its own store cache, services and timetable scheduler. */
  private record Instance(CatalogStore store, DatasetService datasets, TimetableScheduler timer) {}

  private Instance instance(CatalogDatabase database) throws IOException {
    CatalogStore store = new CachingCatalogStore(new PostgresCatalogStore(database.dataSource()));
    SourceRegistry sources =
        new SourceRegistry(Map.of("src", "jdbc:postgresql://127.0.0.1:1/none"), name -> null);
    SourceRoles roles = SourceRoles.checkAtStartUp(sources, sources.names());
    VersionEvents events = new VersionEvents();
    BuildLauncher refusing =
        new BuildLauncher() {
          @Override
          public RunningBuild launch(BuildSpec spec, BuildListener listener) throws IOException {
            throw new IOException("this test runs no builds");
          }

          @Override
          public void cleanUpInterrupted(String dataset, String buildId, Long pid) {}
        };
    BuildScheduler builds =
        new BuildScheduler(
            store,
            refusing,
            sources,
            roles,
            new LocalArtifactStore(Files.createTempDirectory("amber-timetable").toUri().toString()),
            events,
            new CatalogMetrics(store::countByStatus),
            1,
            clock);
    ScheduleChanges changes = new ScheduleChanges();
    DatasetService datasets = new DatasetService(store, sources, roles, clock, changes);
    ExecutorService waiters = Executors.newSingleThreadExecutor();
    VersionService versions =
        new VersionService(store, datasets, builds, events, waiters, clock, Ttl.parse("P1D"));
    TimetableScheduler timer =
        new TimetableScheduler(store, versions, events, changes, clock, Duration.ofSeconds(30));
    open.add(waiters::shutdownNow);
    open.add(builds);
    open.add(timer);
    clock.onSet(timer::wake);
    timer.start();
    return new Instance(store, datasets, timer);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void twoInstancesWokenTogetherStartEachRunOnce() throws Exception {
    CatalogDatabase database =
        CatalogDatabase.external(TestPostgres.freshDatabase("catalog"), null, 8);
    open.add(database);
    Instance a = instance(database);
    Instance b = instance(database);
    a.datasets()
        .define(
            "minutely",
            new DatasetSpec(
                "src",
                null,
                "items",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new Schedule("* * * * *", ZoneId.of("UTC"), Schedule.MAX_KEEP_LAST, null)));
    Instant first = Instant.parse("2026-01-01T00:01:00Z");
    for (int run = 0; run < RUNS; run++) {
      Instant slot = first.plus(Duration.ofMinutes(run));
      for (int wake = 0; wake < 5; wake++) {
        clock.set(slot.plusMillis(wake));
      }
      int expected = run + 1;
      // Until its version has ended, a next run would join it rather than start another.
      Poll.until(
          "run " + slot + " to start and end",
          Duration.ofSeconds(30),
          () -> b.store().listVersions("minutely", null, 1000),
          v -> v.size() >= expected && v.get(0).status().isFinished());
    }
    // Closing waits for both timetable threads, so no pass is still deciding.
    a.timer().close();
    b.timer().close();
    List<Version> versions = a.store().listVersions("minutely", null, 1000);
    assertEquals(RUNS, versions.size(), "one version per run");
    assertEquals(
        RUNS,
        versions.stream().map(Version::scheduledFor).distinct().count(),
        "each for its own run");
    assertEquals(
        first.plus(Duration.ofMinutes(RUNS - 1)),
        versions.get(0).scheduledFor(),
        "the newest for the last run");
  }
}
