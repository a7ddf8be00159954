package org.amber.catalog.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.amber.catalog.artifact.ArtifactStore;
import org.amber.catalog.build.BuildLauncher;
import org.amber.catalog.domain.model.Progress;
import org.amber.catalog.domain.model.Schedule;
import org.amber.catalog.domain.model.Ttl;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.domain.model.VersionKey;
import org.amber.catalog.domain.model.VersionStatus;
import org.amber.catalog.store.CatalogDatabase;
import org.amber.catalog.store.CatalogStore;
import org.amber.catalog.store.PostgresCatalogStore;
import org.amber.catalog.testing.MutableClock;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schedules on a clock the test moves: a cron timetable starts one build per due run, and {@code
 * keep_last} expires older completed versions. Builds here are not run (the launcher refuses), so
 * only the catalog's decisions are observed, on the real catalog database.
 */
class TimetableSweepTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T02:59:30Z"));
  private CatalogDatabase database;
  private CatalogStore store;
  private DatasetService datasets;
  private LifecycleSweeper sweeper;
  private ExecutorService waiters;

  @BeforeEach
  void start() throws Exception {
    database = CatalogDatabase.external(TestPostgres.freshDatabase("catalog"), null, 4);
    store = new PostgresCatalogStore(database.dataSource());
    SourceRegistry sources =
        new SourceRegistry(Map.of("src", "jdbc:postgresql://127.0.0.1:1/none"), name -> null);
    ArtifactStore artifacts =
        new ArtifactStore(Files.createTempDirectory("amber-timetable").toUri().toString());
    VersionEvents events = new VersionEvents();
    BuildLauncher refusing =
        new BuildLauncher() {
          @Override
          public org.amber.catalog.build.RunningBuild launch(
              org.amber.catalog.build.BuildSpec spec,
              org.amber.catalog.build.BuildListener listener)
              throws IOException {
            throw new IOException("this test runs no builds");
          }

          @Override
          public void cleanUpInterrupted(String dataset, String buildId, Long pid) {}
        };
    // The test's source is the superuser of its own database: accepted here, as an operator could.
    SourceRoles roles = SourceRoles.checkAtStartUp(sources, sources.names());
    BuildScheduler scheduler =
        new BuildScheduler(
            store,
            refusing,
            sources,
            roles,
            artifacts,
            events,
            new CatalogMetrics(store::countByStatus),
            1,
            clock);
    datasets = new DatasetService(store, sources, roles, clock);
    waiters = Executors.newSingleThreadExecutor();
    VersionService versions =
        new VersionService(store, datasets, scheduler, events, waiters, clock, Ttl.parse("P1D"));
    sweeper =
        new LifecycleSweeper(
            store, datasets, versions, artifacts, events, clock, Duration.ofHours(1));
  }

  @AfterEach
  void stop() {
    sweeper.close();
    waiters.shutdownNow();
    database.close();
  }

  private List<Version> versions(String dataset) {
    return store.listVersions(dataset, null, 100);
  }

  @Test
  void aTimetableStartsOneBuildPerDueRun() {
    datasets.define("nightly", itemsOn(new Schedule("0 3 * * *", 5)));
    sweeper.sweep();
    assertEquals(0, versions("nightly").size(), "not due before 03:00");

    clock.set(Instant.parse("2026-03-01T03:00:20Z"));
    sweeper.sweep();
    sweeper.sweep();
    assertEquals(1, versions("nightly").size(), "one build for the 03:00 run, however often swept");

    clock.set(Instant.parse("2026-03-04T09:00:00Z"));
    sweeper.sweep();
    assertEquals(2, versions("nightly").size(), "missed runs start one catch-up build, not three");
  }

  @Test
  void keepLastExpiresOlderCompletedVersionsButNotPinnedOnes() {
    datasets.define("rolling", itemsOn(new Schedule("0 0 1 1 *", 2)));
    for (int i = 1; i <= 4; i++) {
      completeOneVersion("rolling", i);
    }
    store.setPinned(new VersionKey("rolling", 1), true);
    sweeper.sweep();
    Map<Integer, VersionStatus> statuses =
        versions("rolling").stream().collect(Collectors.toMap(Version::number, Version::status));
    assertEquals(
        Map.of(
            1,
            VersionStatus.COMPLETED,
            2,
            VersionStatus.EXPIRED,
            3,
            VersionStatus.COMPLETED,
            4,
            VersionStatus.COMPLETED),
        statuses);
  }

  /** Records a completed version straight in the store, as a finished build would. */
  private void completeOneVersion(String dataset, int n) {
    Version v =
        store
            .startBuild(
                dataset,
                datasets.get(dataset).build(),
                "key-" + n,
                null,
                number -> dataset + ".v" + number,
                clock.instant())
            .version();
    assertTrue(
        store.changeStatus(
            v.key(), EnumSet.of(VersionStatus.QUEUED), VersionStatus.EXECUTING, clock.instant()));
    String digest = "sha256:" + String.format("%064d", n);
    assertTrue(
        store.complete(
            v.key(),
            new CatalogStore.Completion(
                digest,
                "sha256-" + String.format("%032d", n),
                null,
                null,
                null,
                Progress.NONE,
                clock.instant(),
                null)));
  }

  /** The table {@code items} of source {@code src}, built on {@code schedule}. */
  private static DatasetSpec itemsOn(Schedule schedule) {
    return new DatasetSpec(
        "src", null, "items", null, null, null, null, null, null, null, schedule);
  }
}
