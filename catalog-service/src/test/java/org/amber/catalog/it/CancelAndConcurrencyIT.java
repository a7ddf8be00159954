package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.Poll;
import org.amber.catalog.testing.SourceData;
import org.amber.catalog.testing.Versions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One build at a time: the rest wait QUEUED; cancelling stops the child process. */
class CancelAndConcurrencyIT {
  private static final Duration BUILD = Duration.ofMinutes(3);
  private static CatalogFixture catalog;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c.toBuilder().maxConcurrentBuilds(1).build());
    SourceData.load(catalog.sourceUrl());
    api = catalog.api();
    for (String name : new String[] {"slow", "quick-a", "quick-b"}) {
      String query =
          name.equals("slow") ? SourceData.SLOW_QUERY : "SELECT id FROM extra WHERE id <= 20";
      assertEquals(
          201,
          api.put("/v1/datasets/" + name, "{\"source\":\"src\",\"query\":\"" + query + "\"}")
              .status());
    }
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  @Test
  void buildsBeyondTheBoundQueueAndCancellingARunningBuildStopsItsProcess() throws Exception {
    String slow = api.post("/v1/datasets/slow/versions", null).header("Location").orElseThrow();
    JsonNode running = Versions.awaitStatus(api, slow, BUILD, "EXECUTING");
    String buildId = running.get("build_id").asText();
    ProcessHandle child =
        Poll.until(
                "the build process",
                Duration.ofSeconds(30),
                () -> SourceData.buildProcess(buildId),
                p -> p.isPresent())
            .orElseThrow();

    Reply a = api.post("/v1/datasets/quick-a/versions", null);
    Reply b = api.post("/v1/datasets/quick-b/versions", null);
    assertEquals("QUEUED", a.json().get("status").asText());
    assertEquals("QUEUED", b.json().get("status").asText());

    // Watch the bound while everything drains: never more than one EXECUTING. The count comes from
    // the metrics, one query of the catalog, so a build ending and the next starting between two
    // reads cannot look like two at once.
    AtomicBoolean watching = new AtomicBoolean(true);
    AtomicInteger mostExecuting = new AtomicInteger();
    List<String> paths =
        List.of(slow, a.header("Location").orElseThrow(), b.header("Location").orElseThrow());
    Thread watcher =
        new Thread(
            () -> {
              while (watching.get()) {
                mostExecuting.accumulateAndGet(executingNow(), Math::max);
              }
            });
    watcher.start();

    // A long poll on the running build wakes when the cancel changes its status.
    java.util.concurrent.CompletableFuture<Reply> longPoll =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> api.get(slow + "?wait=100"));
    Reply cancelled = api.post(slow + ":cancel", null);
    assertEquals(200, cancelled.status(), cancelled.toString());
    Reply woken = longPoll.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals("ABORTED", woken.json().get("status").asText());
    assertEquals("ABORTED", cancelled.json().get("status").asText());
    assertFalse(child.isAlive(), "the child process is gone when cancel answers");
    Path staging = catalog.outputRoot().resolve("slow/.staging/" + buildId);
    assertFalse(Files.exists(staging), "staging removed");
    Reply again = api.post(slow + ":cancel", null);
    assertEquals(200, again.status(), "cancelling is idempotent");
    assertEquals("ABORTED", again.json().get("status").asText());

    JsonNode doneA = Versions.awaitStatus(api, paths.get(1), BUILD, "COMPLETED", "ERROR");
    JsonNode doneB = Versions.awaitStatus(api, paths.get(2), BUILD, "COMPLETED", "ERROR");
    watching.set(false);
    watcher.join();
    assertEquals("COMPLETED", doneA.get("status").asText(), doneA.toString());
    assertEquals("COMPLETED", doneB.get("status").asText(), doneB.toString());
    assertEquals(1, mostExecuting.get(), "at most one build ran at a time");
    long before = System.nanoTime();
    Reply unchanged = api.get(paths.get(1) + "?wait=30");
    assertEquals("COMPLETED", unchanged.json().get("status").asText());
    assertTrue(
        System.nanoTime() - before < 2_000_000_000L,
        "a long poll on an ended build answers at once");
    // One slot: each build started only after the one before it ended.
    JsonNode abortedSlow = api.get(slow).json();
    List<JsonNode> inOrder = new ArrayList<>(List.of(abortedSlow, doneA, doneB));
    for (int i = 1; i < inOrder.size(); i++) {
      Instant previousEnd = Instant.parse(inOrder.get(i - 1).get("finished_at").asText());
      Instant start = Instant.parse(inOrder.get(i).get("started_at").asText());
      assertFalse(start.isBefore(previousEnd), inOrder.get(i - 1) + " then " + inOrder.get(i));
    }
    String metrics = api.get("/metrics").body();
    assertTrue(metrics.contains("amber_versions{status=\"ABORTED\"}"), metrics);
    assertFalse(metrics.contains("amber_versions{status=\"ABORTED\"} 0.0"), metrics);
  }

  /** The catalog's count of EXECUTING versions, as its metrics report it. */
  private static int executingNow() {
    String prefix = "amber_versions{status=\"EXECUTING\"} ";
    return api.get("/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith(prefix))
        .mapToInt(line -> (int) Double.parseDouble(line.substring(prefix.length()).trim()))
        .findFirst()
        .orElse(0);
  }

  @Test
  void aQueuedBuildCanBeCancelledBeforeItRuns() {
    String slow =
        api.post("/v1/datasets/slow/versions", null, "Prefer", "wait=0")
            .header("Location")
            .orElseThrow();
    Versions.awaitStatus(api, slow, BUILD, "EXECUTING");
    Reply queued = api.post("/v1/datasets/quick-a/versions", null);
    assertEquals("QUEUED", queued.json().get("status").asText());
    String path = queued.header("Location").orElseThrow();
    Reply cancelled = api.post(path + ":cancel", null);
    assertEquals(200, cancelled.status());
    assertEquals("ABORTED", cancelled.json().get("status").asText());
    assertTrue(cancelled.json().get("started_at").isNull(), "it never ran");
    assertEquals("ABORTED", api.post(slow + ":cancel", null).json().get("status").asText());
  }
}
