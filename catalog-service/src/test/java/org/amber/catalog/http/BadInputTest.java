package org.amber.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets problem+json with the right status, and starts nothing. */
class BadInputTest {
  private static CatalogFixture catalog;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c);
    api = catalog.api();
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  private static void assertProblem(Reply reply, int status, String detailPart) {
    assertEquals(status, reply.status(), reply.toString());
    assertEquals(
        "application/problem+json", reply.header("Content-Type").orElse(""), reply.toString());
    assertEquals(status, reply.json().get("status").asInt());
    assertTrue(reply.json().get("title").asText().length() > 0);
    String detail = reply.json().path("detail").asText();
    assertTrue(
        detail.contains(detailPart), "detail '" + detail + "' should mention '" + detailPart + "'");
    assertFalse(
        reply.body().contains("Exception") || reply.body().contains("\tat "),
        "no stack trace: " + reply.body());
  }

  private static String definition(String extra) {
    return "{\"source\":\"src\",\"table\":\"public.items\"" + extra + "}";
  }

  @Test
  void malformedJsonIs400() {
    assertProblem(api.put("/v1/datasets/broken", "{\"source\": \"src\", "), 400, "not valid JSON");
    assertProblem(api.put("/v1/datasets/broken", "[1, 2]"), 400, "JSON object");
  }

  @Test
  void wrongContentTypeIs415() {
    Reply reply = api.send("PUT", "/v1/datasets/typed", definition(""), "text/plain");
    assertProblem(reply, 415, "application/json");
    assertProblem(
        api.send("PUT", "/v1/datasets/typed", definition(""), null), 415, "application/json");
  }

  @Test
  void bodyTooLargeIs413() {
    String huge = definition(",\"description\":\"" + "x".repeat(100_000) + "\"");
    assertProblem(api.put("/v1/datasets/huge", huge), 413, "larger than");
  }

  @Test
  void invalidNamesAreRefused() {
    assertProblem(api.put("/v1/datasets/Upper_Case", definition("")), 422, "invalid dataset name");
    assertProblem(
        api.put("/v1/datasets/-starts-with-dash", definition("")), 422, "invalid dataset name");
    assertProblem(api.get("/v1/datasets/" + "a".repeat(64)), 422, "invalid dataset name");
  }

  @Test
  void unknownSourceIsRefused() {
    Reply reply = api.put("/v1/datasets/nosource", "{\"source\":\"elsewhere\",\"table\":\"t\"}");
    assertProblem(reply, 422, "unknown source 'elsewhere'");
    assertEquals("source", reply.json().get("field").asText());
    assertProblem(
        api.put("/v1/datasets/nosource", "{\"table\":\"t\"}"), 422, "'source' is required");
  }

  @Test
  void queriesThatAreNotOneReadOnlySelectAreRefused() {
    String[] bad = {
      "DELETE FROM items",
      "SELECT 1; DROP TABLE items",
      "INSERT INTO items VALUES (1)",
      "SELECT * INTO copy_of_items FROM items",
      "SELECT * FROM items FOR UPDATE",
      "WITH gone AS (DELETE FROM items RETURNING *) SELECT * FROM gone",
      "UPDATE items SET name = 'x'",
      "",
    };
    for (String sql : bad) {
      Reply reply =
          api.put("/v1/datasets/badquery", "{\"source\":\"src\",\"query\":" + quote(sql) + "}");
      assertProblem(reply, 422, "");
      assertEquals("query", reply.json().get("field").asText(), sql);
    }
    assertEquals(404, api.get("/v1/datasets/badquery").status(), "nothing was defined");
    Reply materialise =
        api.post("/v1/materialise", "{\"source\":\"src\",\"query\":\"SELECT 1; SELECT 2\"}");
    assertProblem(materialise, 422, "single statement");
    for (var d : api.get("/v1/datasets").json().get("datasets")) {
      assertFalse(d.get("name").asText().startsWith("auto-"), "no ad-hoc dataset either: " + d);
    }
  }

  @Test
  void tableAndQueryTogetherOrNeitherAreRefused() {
    assertProblem(
        api.put("/v1/datasets/both", "{\"source\":\"src\",\"table\":\"t\",\"query\":\"SELECT 1\"}"),
        422,
        "exactly one");
    assertProblem(api.put("/v1/datasets/neither", "{\"source\":\"src\"}"), 422, "exactly one");
    assertProblem(
        api.put("/v1/datasets/weird", "{\"source\":\"src\",\"table\":\"items; drop\"}"),
        422,
        "schema.name");
  }

  @Test
  void negativeZeroOrAbsurdTtlsAreRefused() {
    for (String ttl : new String[] {"-P1D", "P0D", "PT0S", "P-1D", "P200Y", "forever", "7 days"}) {
      Reply reply = api.put("/v1/datasets/ttl", definition(",\"default_ttl\":" + quote(ttl)));
      assertProblem(reply, 422, "");
      assertEquals("default_ttl", reply.json().get("field").asText(), ttl);
    }
    assertEquals(
        201, api.put("/v1/datasets/ttl", definition(",\"default_ttl\":\"P30D\"")).status());
    assertProblem(api.post("/v1/datasets/ttl/versions", "{\"ttl\":\"-PT1H\"}"), 422, "positive");
    assertEquals(
        0, api.get("/v1/datasets/ttl/versions").json().get("versions").size(), "no build started");
  }

  @Test
  void invalidCronIsRefused() {
    for (String cron : new String[] {"every day", "61 * * * *", "* * * *", "0 3 * * * * *"}) {
      Reply reply =
          api.put(
              "/v1/datasets/cron",
              definition(",\"schedule\":{\"cron\":" + quote(cron) + ",\"keep_last\":3}"));
      assertProblem(reply, 422, "cron");
      assertEquals("schedule.cron", reply.json().get("field").asText());
    }
    assertProblem(
        api.put(
            "/v1/datasets/cron",
            definition(",\"schedule\":{\"cron\":\"0 3 * * *\",\"keep_last\":0}")),
        422,
        "keep_last");
    assertEquals(
        201,
        api.put(
                "/v1/datasets/cron",
                definition(",\"schedule\":{\"cron\":\"0 3 * * *\",\"keep_last\":3}"))
            .status());
  }

  @Test
  void aScheduleTimeZoneMustBeAnIanaNameAndItsTtlADuration() {
    for (String zone : new String[] {"+02:00", "GMT+2", "Mars/Olympus", "europe/berlin", ""}) {
      Reply reply =
          api.put(
              "/v1/datasets/zoned",
              definition(
                  ",\"schedule\":{\"cron\":\"0 3 * * *\",\"time_zone\":" + quote(zone) + "}"));
      assertProblem(reply, 422, "IANA");
      assertEquals("schedule.time_zone", reply.json().get("field").asText(), zone);
    }
    Reply badTtl =
        api.put(
            "/v1/datasets/zoned",
            definition(",\"schedule\":{\"cron\":\"0 3 * * *\",\"ttl\":\"weekly\"}"));
    assertEquals(422, badTtl.status(), badTtl.toString());
    assertEquals("schedule.ttl", badTtl.json().get("field").asText());
    Reply ok =
        api.put(
            "/v1/datasets/zoned",
            definition(
                ",\"schedule\":{\"cron\":\"0 3 * * *\",\"time_zone\":\"Europe/Berlin\",\"ttl\":\"P14D\"}"));
    assertEquals(201, ok.status(), ok.toString());
    JsonNode schedule = ok.json().get("schedule");
    assertEquals("Europe/Berlin", schedule.get("time_zone").asText());
    assertEquals("P14D", schedule.get("ttl").asText());
    assertEquals(10_000, schedule.get("keep_last").asInt());
    assertTrue(
        schedule.get("next_run_at").asText().endsWith("T01:00:00Z")
            || schedule.get("next_run_at").asText().endsWith("T02:00:00Z"),
        schedule.toString());
  }

  @Test
  void wrongTypesAndUnknownFieldsAreRefused() {
    assertProblem(
        api.put("/v1/datasets/typed", definition(",\"partitions\":\"eight\"")), 422, "integer");
    assertProblem(api.put("/v1/datasets/typed", definition(",\"partitions\":0")), 422, "between 1");
    assertProblem(
        api.put("/v1/datasets/typed", definition(",\"formats\":[\"xlsx\"]")),
        422,
        "unknown format");
    assertProblem(
        api.put("/v1/datasets/typed", definition(",\"formats\":42")), 422, "list of strings");
    assertProblem(
        api.put("/v1/datasets/typed", definition(",\"ttl\":\"P1D\"")), 422, "unknown field 'ttl'");
    assertProblem(
        api.put("/v1/datasets/typed", definition(",\"partition_column\":\"id; drop\"")),
        422,
        "column name");
  }

  @Test
  void jsonTypesAreTakenAsSentNotCoerced() {
    String[][] cases = {
      {",\"partitions\":\"8\"", "partitions", "integer"},
      {",\"partitions\":1.5", "partitions", "integer"},
      {",\"partitions\":99999999999", "partitions", "integer"},
      {",\"description\":42", "description", "string"},
      {",\"license\":true", "license", "string"},
      {",\"schedule\":\"daily\"", "schedule", "object"},
      {
        ",\"schedule\":{\"cron\":\"0 3 * * *\",\"keep_last\":\"3\"}",
        "schedule.keep_last",
        "integer"
      },
      {",\"creators\":[{\"name\":7}]", "creators.name", "string"},
      {",\"creators\":[7]", "creators", "each creator"},
    };
    for (String[] c : cases) {
      Reply reply = api.put("/v1/datasets/coerced", definition(c[0]));
      assertProblem(reply, 422, c[2]);
      assertEquals(c[1], reply.json().get("field").asText(), c[0]);
    }
    assertEquals(404, api.get("/v1/datasets/coerced").status(), "nothing was defined");
    Reply lenient =
        api.put(
            "/v1/datasets/coerced",
            definition(
                ",\"formats\":\"csv.gz,parquet\",\"creators\":[\"Ada\",{\"name\":\"Bo\",\"x\":1}]"));
    assertEquals(201, lenient.status(), lenient.toString());
    assertEquals(2, lenient.json().get("formats").size());
    assertEquals("Bo", lenient.json().get("creators").get(1).get("name").asText());
  }

  @Test
  void unknownDatasetAndVersionAre404() {
    assertProblem(api.get("/v1/datasets/nothing-here"), 404, "no dataset named 'nothing-here'");
    assertProblem(api.post("/v1/datasets/nothing-here/versions", null), 404, "no dataset");
    assertEquals(201, api.put("/v1/datasets/known", definition("")).status());
    assertProblem(api.get("/v1/datasets/known/versions/7"), 404, "no version 7");
    assertProblem(api.get("/v1/datasets/known/versions/seven"), 400, "positive whole number");
    assertProblem(api.get("/v1/datasets/known/latest"), 404, "no completed version");
    assertProblem(api.post("/v1/datasets/known/versions/7:cancel", null), 404, "no version 7");
    assertProblem(api.get("/v1/nowhere"), 404, "no endpoint");
  }

  @Test
  void badQueryParametersAre400() {
    assertProblem(api.get("/v1/datasets?limit=0"), 400, "limit");
    assertProblem(api.get("/v1/datasets?limit=many"), 400, "limit");
    assertProblem(api.get("/v1/datasets?page_token=***"), 400, "page_token");
    assertEquals(201, api.put("/v1/datasets/waiting", definition("")).status());
    assertProblem(api.get("/v1/datasets/waiting/versions/1?wait=-3"), 400, "wait");
  }

  @Test
  void patchNeedsAFutureRfc3339Time() {
    assertEquals(201, api.put("/v1/datasets/patched", definition("")).status());
    assertProblem(
        api.patch("/v1/datasets/patched/versions/1", "{\"expires_at\":\"tomorrow\"}"),
        422,
        "RFC 3339");
    assertProblem(
        api.patch("/v1/datasets/patched/versions/1", "{\"expires_at\":\"2001-01-01T00:00:00Z\"}"),
        422,
        "future");
    assertProblem(
        api.patch("/v1/datasets/patched/versions/1", "{\"expires_at\":\"2999-01-01T00:00:00Z\"}"),
        422,
        "100 years");
    assertProblem(
        api.patch("/v1/datasets/patched/versions/1", "{\"pinned\":true}"), 422, "unknown field");
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
