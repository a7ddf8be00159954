package org.amber.catalog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.amber.catalog.domain.model.BuildRequest;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.VersionKey;
import org.amber.catalog.testing.Poll;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog cache in front of a real PostgreSQL store: bounded, never stale for this instance's
 * changes, and stale at most {@link CachingCatalogStore#MAX_STALENESS} for another instance's.
 */
class CachingCatalogStoreTest {
  private static final int BOUND = 200;
  private static CatalogDatabase database;
  private static CachingCatalogStore store;

  @BeforeAll
  static void open() throws Exception {
    database = CatalogDatabase.external(TestPostgres.freshDatabase("cache"), null, 4);
    store = new CachingCatalogStore(new PostgresCatalogStore(database.dataSource()), BOUND);
  }

  @AfterAll
  static void close() {
    database.close();
  }

  @Test
  void lookupsOfUnknownNamesLeaveEveryCacheAtItsBound() {
    int lookups = 20 * BOUND;
    for (int i = 0; i < lookups; i++) {
      String name = "unknown-" + i;
      assertEquals(Optional.empty(), store.findDataset(name));
      assertEquals(Optional.empty(), store.findVersion(new VersionKey(name, 1)));
      assertEquals(Optional.empty(), store.latestCompleted(name));
    }
    Map<String, Long> sizes = store.sizes();
    assertEquals(
        List.of("datasets", "generations", "latest", "versions"), List.copyOf(sizes.keySet()));
    sizes.forEach(
        (cache, size) -> {
          long bound = cache.equals("generations") ? 2L * BOUND : BOUND;
          assertTrue(size <= bound, cache + " holds " + size + " entries; bound " + bound);
          assertTrue(size >= bound / 2, cache + " still caches: " + size);
        });
  }

  @Test
  void aNameLookedUpWhileUnknownIsFoundOnceDefined() {
    // Enough other names to evict its generation, so a recreated one must not match old entries.
    assertEquals(Optional.empty(), store.findDataset("defined-later"));
    for (int i = 0; i < 3 * BOUND; i++) {
      store.findDataset("filler-" + i);
    }
    assertEquals(Optional.empty(), store.findDataset("defined-later"));
    store.saveDataset(definition("defined-later"));
    assertEquals("defined-later", store.findDataset("defined-later").orElseThrow().name());
  }

  @Test
  void anotherInstancesChangeIsSeenOnceTheEntryHasExpired() {
    // Another service instance on the same catalog database: it writes past this cache.
    CatalogStore otherInstance = new PostgresCatalogStore(database.dataSource());
    assertEquals(Optional.empty(), store.findDataset("defined-elsewhere"));
    otherInstance.saveDataset(definition("defined-elsewhere"));
    long started = System.nanoTime();

    Poll.until(
        "the other instance's dataset",
        CachingCatalogStore.MAX_STALENESS.multipliedBy(5),
        () -> store.findDataset("defined-elsewhere"),
        Optional::isPresent);

    Duration unseen = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(
        unseen.compareTo(CachingCatalogStore.MAX_STALENESS.plusSeconds(1)) < 0,
        "unseen for " + unseen);
  }

  private static DatasetDefinition definition(String name) {
    Instant now = Instant.now();
    return new DatasetDefinition(
        name,
        new BuildRequest("src", null, "public.items", List.of("parquet"), null, null),
        null,
        null,
        List.of(),
        null,
        null,
        false,
        now,
        now);
  }
}
