package org.amber.catalog.build.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.amber.artifacts.protocol.BuildSummary;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.Poll;
import org.amber.catalog.testing.Versions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Builds on Dataflow through the catalog's own HTTP API, the service configured with the Dataflow
 * launcher and pointed at a stand-in of the Dataflow API.
 */
class DataflowBuildsTest {
  private static final Duration END = Duration.ofSeconds(60);
  private static final String SECRET = "projects/amber-test/secrets/src-reader/versions/7";

  private DataflowStandIn dataflow;
  private CatalogFixture catalog;
  private Api api;

  @BeforeEach
  void start() throws Exception {
    dataflow = new DataflowStandIn();
    catalog =
        CatalogFixture.start(
            c ->
                c.toBuilder()
                    .dataflow(
                        new DataflowConfig(
                            "amber-test",
                            "us-central1",
                            "gs://amber-templates/materialise.json",
                            null,
                            null,
                            dataflow.rootUrl(),
                            Duration.ofHours(1),
                            Duration.ofMillis(50),
                            Map.of(CatalogFixture.SOURCE, SECRET)))
                    .build());
    api = catalog.api();
    assertEquals(
        201,
        api.put("/v1/datasets/assays", "{\"source\":\"src\",\"query\":\"SELECT 1 AS n\"}")
            .status());
  }

  @AfterEach
  void stop() {
    catalog.close();
    dataflow.close();
  }

  /** Asks for a build and waits until its job is launched; returns the version's path. */
  private String buildAndAwaitLaunch() {
    int before = dataflow.launches.size();
    String version =
        api.post("/v1/datasets/assays/versions", null).header("Location").orElseThrow();
    Poll.until("the job's launch", END, () -> dataflow.launches.size(), n -> n == before + 1);
    return version;
  }

  /** A plain poll: the API's long poll waits for the build to end, not to start. */
  private JsonNode awaitExecuting(String version) {
    return Poll.until(
        version + " to run",
        END,
        () -> api.get(version).json(),
        v -> v.get("status").asText().equals("EXECUTING"));
  }

  private DataflowStandIn.Launch lastLaunch() {
    return dataflow.launches.get(dataflow.launches.size() - 1);
  }

  private String recordedJob(String buildId) throws SQLException {
    try (Connection c = DriverManager.getConnection(catalog.config().catalogUrl());
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT job FROM versions WHERE build_id = '" + buildId + "'")) {
      r.next();
      return r.getString(1);
    }
  }

  private int coordinatorSessions(String buildId) {
    return CoordinatorSessions.count(catalog.sourceUrl(), buildId);
  }

  @Test
  void aBuildRunsAsAJobShowsItsCountersAndCompletesWithWhatTheJobCommitted() throws Exception {
    String version = buildAndAwaitLaunch();
    DataflowStandIn.Launch launch = lastLaunch();
    JsonNode running = awaitExecuting(version);
    String buildId = running.get("build_id").asText();
    assertEquals(buildId, launch.parameters().get("buildId").asText());
    assertEquals("assays", launch.parameters().get("dataset").asText());
    assertEquals(SECRET, launch.parameters().get("sourcePasswordSecret").asText());
    assertEquals(catalog.config().outputRoot(), launch.parameters().get("output").asText());
    assertEquals(
        "dataflow:projects/amber-test/locations/us-central1/jobs/" + launch.jobId(),
        recordedJob(buildId));
    assertEquals(1, coordinatorSessions(buildId), "the catalog holds the snapshot");

    dataflow.setCounters(launch.jobId(), 1, 700, 4096);
    dataflow.setState(launch.jobId(), "JOB_STATE_RUNNING");
    Poll.until(
        "the job's counters on the version",
        END,
        () -> api.get(version).json().get("progress"),
        p -> p.get("rows").asLong() == 700 && p.get("bytes").asLong() == 4096);

    BuildSummary committed =
        CommittedJob.write(catalog.config().outputRoot(), "assays", buildId, launch.jobId());
    dataflow.setState(launch.jobId(), "JOB_STATE_DONE");

    JsonNode done = Versions.awaitStatus(api, version, END, "COMPLETED", "ERROR");
    assertEquals("COMPLETED", done.get("status").asText(), done.toString());
    assertEquals(committed.contentDigest(), done.get("content_digest").asText());
    assertEquals(committed.address(), done.get("address").asText());
    Poll.until("the snapshot's release", END, () -> coordinatorSessions(buildId), n -> n == 0);
  }

  @Test
  void aRestartReattachesToTheRunningJobWhichThenCompletes() throws Exception {
    String version = buildAndAwaitLaunch();
    DataflowStandIn.Launch launch = lastLaunch();
    String buildId = awaitExecuting(version).get("build_id").asText();
    dataflow.setState(launch.jobId(), "JOB_STATE_RUNNING");

    catalog.restart();
    api = catalog.api();

    JsonNode resumed = api.get(version).json();
    assertEquals("EXECUTING", resumed.get("status").asText(), resumed.toString());
    // The old service's snapshot session went with it; the job goes on without one.
    Poll.until("the old snapshot's release", END, () -> coordinatorSessions(buildId), n -> n == 0);
    assertTrue(resumed.get("error").isNull(), resumed.toString());
    int polled = dataflow.gets(launch.jobId());
    Poll.until("polling to resume", END, () -> dataflow.gets(launch.jobId()), n -> n >= polled + 2);
    assertEquals(1, dataflow.launches.size(), "re-attached, not launched again");

    BuildSummary committed =
        CommittedJob.write(catalog.config().outputRoot(), "assays", buildId, launch.jobId());
    dataflow.setState(launch.jobId(), "JOB_STATE_DONE");

    JsonNode done = Versions.awaitStatus(api, version, END, "COMPLETED", "ERROR");
    assertEquals("COMPLETED", done.get("status").asText(), done.toString());
    assertEquals(committed.contentDigest(), done.get("content_digest").asText());
  }

  @Test
  void aFailedJobIsAnErrorWithItsReasonAndACancelAbortsTheJob() {
    String failing = buildAndAwaitLaunch();
    DataflowStandIn.Launch first = lastLaunch();
    dataflow.setErrors(
        first.jobId(), List.of("java.sql.SQLException: permission denied for table x"));
    dataflow.setState(first.jobId(), "JOB_STATE_FAILED");
    JsonNode failed = Versions.awaitStatus(api, failing, END, "ERROR", "COMPLETED");
    assertEquals("ERROR", failed.get("status").asText());
    assertEquals("build_failed", failed.get("error").get("type").asText());
    assertTrue(
        failed
            .get("error")
            .get("message")
            .asText()
            .endsWith("failed: java.sql.SQLException: permission denied for table x"),
        failed.toString());

    String cancelled = buildAndAwaitLaunch();
    DataflowStandIn.Launch second = lastLaunch();
    dataflow.setState(second.jobId(), "JOB_STATE_RUNNING");
    awaitExecuting(cancelled);
    Api.Reply reply = api.post(cancelled + ":cancel", null);
    assertEquals(200, reply.status(), reply.toString());
    assertEquals("ABORTED", reply.json().get("status").asText());
    assertTrue(dataflow.cancelRequests.contains(second.jobId() + " JOB_STATE_CANCELLED"));
  }
}
