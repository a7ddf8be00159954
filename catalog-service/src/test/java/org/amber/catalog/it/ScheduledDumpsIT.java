package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.amber.catalog.app.CatalogService;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.MutableClock;
import org.amber.catalog.testing.Poll;
import org.amber.catalog.testing.SourceData;
import org.amber.catalog.testing.Versions;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scheduled dumps end to end: real builds of a real source through the real service, on a clock the
 * test moves (the service's timetables are woken when it jumps), except one test on the real clock
 * that measures how late a run starts.
 */
class ScheduledDumpsIT {
  private static final Duration BUILD = Duration.ofSeconds(120);
  private CatalogFixture catalog;
  private Api api;

  private MutableClock startAt(String instant) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse(instant));
    catalog = CatalogFixture.start(c -> c, clock);
    SourceData.load(catalog.sourceUrl());
    api = catalog.api();
    return clock;
  }

  @AfterEach
  void stop() {
    if (catalog != null) {
      catalog.close();
    }
  }

  private void define(String name, String schedule) {
    Reply reply =
        api.put(
            "/v1/datasets/" + name,
            "{\"source\":\"src\",\"table\":\"extra\",\"schedule\":" + schedule + "}");
    assertEquals(201, reply.status(), reply.toString());
  }

  private JsonNode schedule(String name) {
    return api.get("/v1/datasets/" + name).json().get("schedule");
  }

  private List<JsonNode> versions(String name) {
    List<JsonNode> all = new ArrayList<>();
    api.get("/v1/datasets/" + name + "/versions?limit=100")
        .json()
        .get("versions")
        .forEach(all::add);
    return all;
  }

  /** Waits for version {@code number} to appear, then for its build to complete. */
  private JsonNode awaitCompleted(String name, int number) {
    Poll.until(
        "version " + number + " of " + name, BUILD, () -> versions(name).size(), n -> n >= number);
    return Versions.awaitStatus(
        api, "/v1/datasets/" + name + "/versions/" + number, BUILD, "COMPLETED");
  }

  private static JsonNode changes(int comparedWith, int added, int removed, int changed) {
    return new ObjectMapper()
        .createObjectNode()
        .put("available", true)
        .put("compared_with", comparedWith)
        .put("key", "id")
        .put("added", added)
        .put("removed", removed)
        .put("changed", changed);
  }

  @Test
  void aWeeklyScheduleRunsOnTimeMovesLatestMarksUnchangedAndKeepsTheLastTwo() throws Exception {
    MutableClock clock = startAt("2026-05-03T12:00:00Z"); // a Sunday
    define("weekly", "{\"cron\":\"0 6 * * 1\",\"time_zone\":\"UTC\",\"keep_last\":2}");
    JsonNode schedule = schedule("weekly");
    assertEquals("UTC", schedule.get("time_zone").asText());
    assertEquals("2026-05-04T06:00:00Z", schedule.get("next_run_at").asText());
    assertTrue(schedule.get("last_run_at").isNull(), schedule.toString());

    Instant monday = Instant.parse("2026-05-04T06:00:00Z");
    List<JsonNode> built = new ArrayList<>();
    for (int week = 0; week < 4; week++) {
      Instant slot = monday.plus(Duration.ofDays(7L * week));
      if (week == 2) {
        TestPostgres.execute(
            catalog.sourceUrl(),
            "UPDATE extra SET label = 'changed' WHERE id = 1",
            "DELETE FROM extra WHERE id = 2",
            "INSERT INTO extra VALUES (501, 'new'), (502, 'new')");
      }
      clock.set(slot.minusSeconds(1));
      assertEquals(week, versions("weekly").size(), "nothing before the run's time");
      clock.set(slot);
      JsonNode v = awaitCompleted("weekly", week + 1);
      assertEquals(slot.toString(), v.get("created_at").asText(), "started at the run's time");
      assertEquals(slot.toString(), v.get("scheduled_for").asText());
      built.add(v);
      Reply latest = api.get("/v1/datasets/weekly/latest");
      assertEquals(302, latest.status());
      assertEquals(
          "/v1/datasets/weekly/versions/" + (week + 1), latest.header("Location").orElseThrow());
      if (week == 1) {
        // Pinned before the third run: keep_last never expires it.
        assertEquals(200, api.put("/v1/datasets/weekly/versions/1/pin", null).status());
      }
    }
    assertFalse(built.get(0).get("unchanged").asBoolean(), "the first has nothing to equal");
    assertTrue(built.get(1).get("unchanged").asBoolean(), "same data: unchanged");
    assertEquals(built.get(0).get("address"), built.get(1).get("address"), "on the same address");
    assertFalse(built.get(2).get("unchanged").asBoolean(), "changed data");
    assertNotEquals(built.get(1).get("address"), built.get(2).get("address"), "a new address");
    assertTrue(built.get(3).get("unchanged").asBoolean());
    assertEquals(built.get(2).get("address"), built.get(3).get("address"));
    // Each week's release notes count its rows against the week before, by key.
    assertTrue(built.get(0).get("changes").isNull(), "the first has nothing to compare with");
    assertEquals(changes(1, 0, 0, 0), built.get(1).get("changes"));
    assertEquals(changes(2, 2, 1, 1), built.get(2).get("changes"));
    assertEquals(changes(3, 0, 0, 0), built.get(3).get("changes"));

    // keep_last 2: versions 4 and 3 kept, 2 expired, 1 pinned and kept.
    Poll.until(
        "version 2 to expire beyond keep_last",
        Duration.ofSeconds(30),
        () -> api.get("/v1/datasets/weekly/versions/2").json().get("status").asText(),
        "EXPIRED"::equals);
    for (int kept : new int[] {1, 3, 4}) {
      assertEquals(
          "COMPLETED",
          api.get("/v1/datasets/weekly/versions/" + kept).json().get("status").asText(),
          "version " + kept);
    }

    JsonNode dataset = api.get("/v1/datasets/weekly").json();
    assertEquals(4, dataset.get("latest").get("version").asInt());
    assertEquals(
        monday.plus(Duration.ofDays(21)).toString(),
        dataset.get("schedule").get("last_run_at").asText());
    assertEquals(
        monday.plus(Duration.ofDays(28)).toString(),
        dataset.get("schedule").get("next_run_at").asText());

    // Version-free URLs of the newest release redirect to the versioned ones, never cached.
    for (String rest : new String[] {"download/weekly.parquet", "SHA256SUMS"}) {
      Reply redirect = api.get("/v1/datasets/weekly/latest/" + rest);
      assertEquals(302, redirect.status(), rest + ": " + redirect);
      assertEquals(
          "/v1/datasets/weekly/versions/4/" + rest, redirect.header("Location").orElseThrow());
      assertEquals("no-store", redirect.header("Cache-Control").orElseThrow());
    }
  }

  @Test
  void aRunAtASkippedLocalTimeRunsOnceAnHourLaterOnTheSpringForwardNight() throws Exception {
    MutableClock clock = startAt("2026-03-21T12:00:00Z"); // a Saturday
    define("berlin", "{\"cron\":\"30 2 * * 0\",\"time_zone\":\"Europe/Berlin\",\"keep_last\":5}");
    assertEquals("2026-03-22T01:30:00Z", schedule("berlin").get("next_run_at").asText(), "CET");
    clock.set(Instant.parse("2026-03-22T01:30:00Z"));
    awaitCompleted("berlin", 1);

    // On 2026-03-29 Berlin's clocks jump from 02:00 to 03:00: 02:30 does not exist that night.
    Instant shifted = Instant.parse("2026-03-29T01:30:00Z"); // 03:30 CEST
    assertEquals(shifted.toString(), schedule("berlin").get("next_run_at").asText());
    clock.set(Instant.parse("2026-03-29T00:59:59Z")); // 01:59:59 CET, the last second before
    assertEquals(1, versions("berlin").size());
    clock.set(shifted);
    JsonNode v = awaitCompleted("berlin", 2);
    assertEquals(shifted.toString(), v.get("scheduled_for").asText());
    assertEquals(
        "2026-04-05T00:30:00Z", schedule("berlin").get("next_run_at").asText(), "02:30 CEST");
  }

  @Test
  void downtimeOverThreeRunsMakesUpOnlyOne() throws Exception {
    MutableClock clock = startAt("2026-06-01T05:00:00Z");
    define("daily", "{\"cron\":\"0 6 * * *\",\"ttl\":\"P3D\"}");
    clock.set(Instant.parse("2026-06-01T06:00:00Z"));
    JsonNode first = awaitCompleted("daily", 1);
    assertFalse(first.get("unchanged").asBoolean());
    assertEquals("P3D", first.get("ttl").asText(), "a timetable's version lives its ttl");
    assertEquals("2026-06-04T06:00:00Z", first.get("expires_at").asText());

    // A client's build of the same data is unchanged too, and not a timetable run.
    Reply manual = api.post("/v1/datasets/daily/versions", null, "Prefer", "wait=120");
    assertEquals(201, manual.status(), manual.toString());
    assertTrue(manual.json().get("unchanged").asBoolean());
    assertTrue(manual.json().get("scheduled_for").isNull());
    assertTrue(manual.json().get("ttl").isNull(), "a client's build lives the dataset's default");
    assertEquals(first.get("address"), manual.json().get("address"));

    catalog.stop();
    // Down over the runs of 2, 3 and 4 June.
    clock.set(Instant.parse("2026-06-04T09:00:00Z"));
    catalog.resume();
    api = catalog.api();
    JsonNode madeUp = awaitCompleted("daily", 3);
    assertEquals("2026-06-04T06:00:00Z", madeUp.get("scheduled_for").asText(), "the newest one");
    assertEquals("2026-06-04T09:00:00Z", madeUp.get("created_at").asText(), "at once");
    JsonNode schedule = schedule("daily");
    assertEquals("2026-06-04T06:00:00Z", schedule.get("last_run_at").asText());
    assertEquals("2026-06-05T06:00:00Z", schedule.get("next_run_at").asText());
    String catalogUrl = catalog.config().catalogUrl();
    catalog.close();
    catalog = null;
    assertEquals(List.of(1, 3), scheduledVersions(catalogUrl, "daily"));
  }

  @Test
  void twoInstancesOnOneCatalogStartEachRunOnce() throws Exception {
    MutableClock clock = startAt("2026-07-01T00:30:00Z");
    String catalogUrl = catalog.config().catalogUrl();
    CatalogService second = catalog.startAnother();
    try {
      define("shared", "{\"cron\":\"0 * * * *\"}");
      Api other = new Api(second.port(), null);
      for (int hour = 1; hour <= 3; hour++) {
        Instant slot = Instant.parse("2026-07-01T00:00:00Z").plus(Duration.ofHours(hour));
        // Every set wakes both instances' timetables at once: they race for each run.
        for (int i = 0; i < 5; i++) {
          clock.set(slot.plusMillis(i));
        }
        Poll.until(
            "version " + hour + " seen by the other instance",
            BUILD,
            () -> other.get("/v1/datasets/shared/versions").json().get("versions").size(),
            n -> n >= 1);
        awaitCompleted("shared", hour);
      }
    } finally {
      // Closing waits for each instance's timetable thread: no pass is left half done.
      second.close();
    }
    catalog.close();
    catalog = null;
    assertEquals(List.of(1, 2, 3), scheduledVersions(catalogUrl, "shared"), "one version per run");
  }

  /**
   * The numbers of a dataset's versions started by its timetable, one row per run, read from the
   * catalog database once every service is closed.
   */
  private static List<Integer> scheduledVersions(String catalogUrl, String dataset)
      throws Exception {
    List<Integer> numbers = new ArrayList<>();
    List<Instant> runs = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(catalogUrl);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT version, scheduled_for FROM versions WHERE dataset = '"
                    + dataset
                    + "' AND scheduled_for IS NOT NULL ORDER BY version")) {
      while (r.next()) {
        numbers.add(r.getInt(1));
        runs.add(r.getTimestamp(2).toInstant());
      }
    }
    assertEquals(runs.size(), runs.stream().distinct().count(), "no run twice: " + runs);
    return numbers;
  }

  @Test
  void onTheRealClockAMinutelyScheduleStartsWithinSecondsOfTheMinute() throws Exception {
    catalog = CatalogFixture.start(c -> c);
    SourceData.load(catalog.sourceUrl());
    api = catalog.api();
    define("minutely", "{\"cron\":\"* * * * *\"}");
    JsonNode v =
        Poll.until(
                "the first minutely run",
                Duration.ofSeconds(70),
                () -> versions("minutely"),
                list -> !list.isEmpty())
            .get(0);
    Instant created = Instant.parse(v.get("created_at").asText());
    Instant slot = Instant.parse(v.get("scheduled_for").asText());
    assertEquals(created.truncatedTo(ChronoUnit.MINUTES), slot, v.toString());
    Duration late = Duration.between(slot, created);
    System.out.println("minutely run started " + late.toMillis() + " ms after its minute");
    assertTrue(late.compareTo(Duration.ofSeconds(5)) < 0, "started " + late + " late");
  }
}
