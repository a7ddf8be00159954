package org.amber.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.RawHttp;
import org.amber.catalog.testing.Versions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an attacker sends to the HTTP edge: text PostgreSQL cannot store, durations beyond the
 * calendar, requests too broken for Javalin to see. Every one is a 4xx problem+json.
 */
class HttpEdgeTest {
  private static final String NUL = "\\u0000";
  private static CatalogFixture catalog;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c);
    api = catalog.api();
    assertEquals(201, api.put("/v1/datasets/known", definition("")).status());
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  private static String definition(String extra) {
    return "{\"source\":\"src\",\"table\":\"public.items\"" + extra + "}";
  }

  private static JsonNode assertProblem(Reply reply, String field) {
    assertEquals(422, reply.status(), reply.toString());
    assertEquals(
        "application/problem+json", reply.header("Content-Type").orElse(""), reply.toString());
    JsonNode body = reply.json();
    assertEquals(422, body.get("status").asInt());
    assertEquals(field, body.path("field").asText(), reply.toString());
    assertFalse(reply.body().contains("Exception"), reply.toString());
    return body;
  }

  private static void assertClientProblem(Reply reply) {
    assertTrue(reply.status() >= 400 && reply.status() < 500, reply.toString());
    assertEquals(
        "application/problem+json", reply.header("Content-Type").orElse(""), reply.toString());
    assertEquals(reply.status(), reply.json().get("status").asInt());
  }

  @Test
  void nulAndUnpairedSurrogatesInBodyFieldsAreRefusedNamingTheField() {
    assertProblem(
        api.put("/v1/datasets/nul", definition(",\"description\":\"a" + NUL + "b\"")),
        "description");
    assertProblem(api.put("/v1/datasets/nul", definition(",\"license\":\"CC\\ud800\"")), "license");
    assertProblem(
        api.put("/v1/datasets/nul", definition(",\"creators\":[{\"name\":\"Ada" + NUL + "\"}]")),
        "creators.name");
    assertProblem(
        api.put("/v1/datasets/nul", definition(",\"creators\":[\"Ada" + NUL + "\"]")), "creators");
    assertProblem(
        api.put("/v1/datasets/nul", definition(",\"formats\":[\"csv" + NUL + "\"]")), "formats");
    assertProblem(
        api.put(
            "/v1/datasets/nul", definition(",\"schedule\":{\"cron\":\"0 3 * * *" + NUL + "\"}")),
        "schedule.cron");
    assertProblem(
        api.put("/v1/datasets/nul", "{\"source\":\"src" + NUL + "\",\"table\":\"t\"}"), "source");
    assertProblem(
        api.post("/v1/materialise", "{\"source\":\"src\",\"query\":\"SELECT '" + NUL + "'\"}"),
        "query");
    assertProblem(api.post("/v1/datasets/known/versions", "{\"ttl\":\"P1D" + NUL + "\"}"), "ttl");
    assertProblem(
        api.patch("/v1/datasets/known/versions/1", "{\"expires_at\":\"" + NUL + "\"}"),
        "expires_at");
    assertProblem(
        api.post("/v1/tokens", "{\"scope\":\"read\",\"name\":\"ci" + NUL + "\"}"), "name");
    assertEquals(404, api.get("/v1/datasets/nul").status(), "nothing was stored");
    assertEquals(
        0,
        api.get("/v1/datasets/known/versions").json().get("versions").size(),
        "nothing was started");
  }

  @Test
  void nulInPathAndQueryParametersIsRefused() {
    String nulToken =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("a\0b".getBytes(StandardCharsets.UTF_8));
    assertProblem(api.get("/v1/datasets?page_token=" + nulToken), "page_token");
    assertProblem(api.get("/v1/datasets?limit=1%00"), "limit");
    assertProblem(api.get("/v1/datasets/known/versions/1?wait=%00"), "wait");
    for (String path :
        List.of(
            "/v1/datasets/a%00b",
            "/v1/datasets/known/versions/1%00",
            "/v1/datasets/known/versions/1/files/part%00.parquet",
            "/v1/datasets/known/latest/x%00",
            "/v1/tokens/abc%00")) {
      assertClientProblem(api.get(path));
      assertClientProblem(api.delete(path));
    }
  }

  @Test
  void durationsBeyondAHundredYearsAre422() {
    assertProblem(
        api.put("/v1/datasets/forever", definition(",\"default_ttl\":\"P999999999Y\"")),
        "default_ttl");
    assertProblem(
        api.put("/v1/datasets/forever", definition(",\"default_ttl\":\"PT99999999999H\"")),
        "default_ttl");
    assertProblem(api.post("/v1/datasets/known/versions", "{\"ttl\":\"P999999999Y\"}"), "ttl");
    assertProblem(
        api.post(
            "/v1/materialise",
            "{\"source\":\"src\",\"table\":\"t\",\"max_staleness\":\"P999999999Y\"}"),
        "max_staleness");
    assertProblem(
        api.post("/v1/materialise", "{\"source\":\"src\",\"table\":\"t\",\"ttl\":\"P9999999W\"}"),
        "ttl");
    assertProblem(
        api.patch(
            "/v1/datasets/known/versions/1", "{\"expires_at\":\"+999999999-12-31T23:59:59Z\"}"),
        "expires_at");
    assertProblem(
        api.patch(
            "/v1/datasets/known/versions/1", "{\"expires_at\":\"-999999999-01-01T00:00:00Z\"}"),
        "expires_at");
    assertEquals(404, api.get("/v1/datasets/forever").status());
  }

  @Test
  void errorsJettyRaisesItselfAreProblemJsonOverARawSocket() throws Exception {
    String big = "a".repeat(20_000);
    List<String> refusedByJetty =
        List.of(
            "GET /v1/datasets/%ZZ HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /v1/datasets/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /v1/datasets/%C0%AE HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /v1/datasets/" + big + " HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /v1/datasets HTTP/1.1\r\nHost: localhost\r\nX-Big: " + big + "\r\n\r\n",
            // Jetty says 505; a version nobody speaks is bad input like any other.
            "GET /v1/datasets HTTP/9.9\r\nHost: localhost\r\n\r\n",
            "GET /v1/datasets HTTP/one\r\nHost: localhost\r\n\r\n",
            "GET /v1/datasets HTTP/1.1 trailing\r\nHost: localhost\r\n\r\n",
            "THIS IS NOT HTTP\r\n\r\n",
            "GET /v1/datasets HTTP/1.1\r\nHost: localhost\r\nA header without a colon\r\n\r\n",
            "GET /v1/datasets HTTP/1.1\r\n\r\n",
            "POST /v1/materialise HTTP/1.1\r\nHost: localhost\r\nContent-Length: many\r\n\r\n",
            "GET /v1/datasets HTTP/1.1\r\nHost: localhost\r\nX-Nul: a\0b\r\n\r\n");
    for (String request : refusedByJetty) {
      RawHttp.Answer answer = assertRawProblem(request);
      // The connection is dropped after a request Jetty could not read; the client is told.
      assertEquals("close", answer.header("Connection"), answer.toString());
    }
    // Odd but well-formed: these reach the routes, and are refused there.
    for (String request :
        List.of(
            "GET /v1/datasets/a%2Fb HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /v1/datasets/a%5Cb/versions/1/files/..%2F..%2Fx HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /v1/datasets/a;b=c HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /v1/datasets/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "PROPFIND /v1/datasets HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
      assertRawProblem(request);
    }
    assertEquals(200, api.get("/healthz").status(), "the server still answers");
  }

  private static RawHttp.Answer assertRawProblem(String request) throws Exception {
    String shown = request.length() > 80 ? request.substring(0, 80) + "…" : request;
    RawHttp.Answer answer = RawHttp.send(catalog.service().port(), request);
    assertTrue(answer.status() >= 400 && answer.status() < 500, shown + " → " + answer);
    assertEquals("application/problem+json", answer.header("Content-Type"), shown + " → " + answer);
    JsonNode problem = new ObjectMapper().readTree(answer.body());
    assertEquals(answer.status(), problem.get("status").asInt(), shown + " → " + answer);
    assertTrue(problem.get("title").asText().length() > 0, answer.toString());
    assertFalse(
        answer.body().contains("<html") || answer.body().contains("Exception"), answer.toString());
    return answer;
  }

  @Test
  void waitOnAVersionWhoseBuildEndedAnswersAtOnce() {
    // The source has no table: the build ends in ERROR, and nothing changes it after that.
    Reply started = api.post("/v1/datasets/known/versions", null);
    assertEquals(202, started.status(), started.toString());
    String path = started.header("Location").orElseThrow();
    Versions.awaitStatus(api, path, Duration.ofSeconds(120), "ERROR", "COMPLETED");

    long begun = System.nanoTime();
    Reply waited = api.get(path + "?wait=30");
    Duration took = Duration.ofNanos(System.nanoTime() - begun);
    assertEquals(200, waited.status(), waited.toString());
    assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "?wait=30 took " + took);

    begun = System.nanoTime();
    Reply joined = api.post("/v1/datasets/known/versions/1:cancel", null, "Prefer", "wait=30");
    took = Duration.ofNanos(System.nanoTime() - begun);
    assertEquals(409, joined.status(), joined.toString());
    assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took);
  }
}
