package org.amber.catalog.build.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.amber.artifacts.protocol.BuildSummary;
import org.amber.catalog.artifact.ArtifactStore;
import org.amber.catalog.artifact.LocalArtifactStore;
import org.amber.catalog.build.BuildResult;
import org.amber.catalog.build.BuildSpec;
import org.amber.catalog.build.RunningBuild;
import org.amber.catalog.domain.model.BuildError;
import org.amber.catalog.domain.model.Progress;
import org.amber.catalog.testing.Poll;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Dataflow launcher against a stand-in of the Dataflow API (Google's client over a real socket)
 * and a real PostgreSQL source holding the build's snapshot.
 */
class DataflowLauncherTest {
  private static final Duration END = Duration.ofSeconds(30);
  private static final String SECRET = "projects/amber-test/secrets/src-reader/versions/latest";

  @TempDir static Path dir;
  private static DataflowStandIn dataflow;
  private static String superuserUrl;
  private static String readerUrl;
  private static ArtifactStore artifacts;
  private static DataflowLauncher launcher;

  @BeforeAll
  static void start() throws Exception {
    dataflow = new DataflowStandIn();
    superuserUrl = TestPostgres.freshDatabase("dataflow_source");
    readerUrl = TestPostgres.readerUrl(superuserUrl);
    artifacts = new LocalArtifactStore(dir.resolve("out").toUri().toString());
    launcher = launcher(Duration.ofMinutes(10), Map.of("src", SECRET));
  }

  @AfterAll
  static void stop() {
    launcher.close();
    dataflow.close();
  }

  private static DataflowLauncher launcher(Duration maxHold, Map<String, String> secrets)
      throws IOException {
    return DataflowLauncher.create(
        new DataflowConfig(
            "amber-test",
            "europe-west1",
            "gs://amber-templates/templates/materialise.json",
            "amber-worker@amber-test.iam.gserviceaccount.com",
            "gs://amber-temp/tmp",
            dataflow.rootUrl(),
            maxHold,
            Duration.ofMillis(50),
            secrets),
        artifacts,
        Clock.systemUTC());
  }

  private static BuildSpec spec(String buildId, String sourceUrl, String password) {
    return new BuildSpec(
        buildId,
        "d",
        "src",
        sourceUrl,
        password,
        "SELECT 1 AS n",
        null,
        List.of("parquet", "csv.gz"),
        "n",
        4,
        Duration.ofMinutes(5),
        null);
  }

  private static DataflowStandIn.Launch launchOf(RunningBuild build) {
    String job = build.job().orElseThrow();
    return dataflow.launches.stream()
        .filter(l -> job.endsWith("/jobs/" + l.jobId()))
        .findFirst()
        .orElseThrow();
  }

  private static int coordinatorSessions(String buildId) {
    return CoordinatorSessions.count(superuserUrl, buildId);
  }

  private static void awaitReleased(String buildId) {
    Poll.until(
        "the snapshot coordinator of " + buildId + " to leave the source",
        END,
        () -> coordinatorSessions(buildId),
        n -> n == 0);
  }

  /** Waits until the launcher has asked about the job twice more: one whole poll saw its state. */
  private static void awaitPolled(String jobId) {
    int seen = dataflow.gets(jobId);
    Poll.until("two more polls of " + jobId, END, () -> dataflow.gets(jobId), n -> n >= seen + 2);
  }

  private static BuildResult await(RunningBuild build) throws Exception {
    return build.result().get(END.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void theLaunchRequestNamesTheTemplateTheOptionsAndTheSnapshotButNoPassword() throws Exception {
    RunningBuild build =
        launcher.launch(
            spec("b-launch", readerUrl + "&password=url-pass-4711", "catalog-pass-0815"), p -> {});
    DataflowStandIn.Launch launch = launchOf(build);

    assertEquals("amber-test", launch.project());
    assertEquals("europe-west1", launch.region());
    assertEquals(
        "dataflow:projects/amber-test/locations/europe-west1/jobs/" + launch.jobId(),
        build.job().orElseThrow());
    assertTrue(build.pid().isEmpty());
    JsonNode parameter = launch.body().get("launchParameter");
    assertEquals(
        "gs://amber-templates/templates/materialise.json",
        parameter.get("containerSpecGcsPath").asText());
    assertEquals("amber-b-launch", parameter.get("jobName").asText());
    assertEquals(
        "amber-worker@amber-test.iam.gserviceaccount.com",
        parameter.path("environment").path("serviceAccountEmail").asText());
    assertEquals(
        "gs://amber-temp/tmp", parameter.path("environment").path("tempLocation").asText());
    JsonNode p = launch.parameters();
    assertEquals(SECRET, p.get("sourcePasswordSecret").asText());
    assertTrue(p.get("source").asText().startsWith(readerUrl.replaceFirst("\\?.*", "")));
    assertEquals("SELECT 1 AS n", p.get("query").asText());
    assertEquals("d", p.get("dataset").asText());
    assertEquals(artifacts.rootUri(), p.get("output").asText());
    assertEquals("parquet,csv.gz", p.get("formats").asText());
    assertEquals("n", p.get("partitionColumn").asText());
    assertEquals("4", p.get("partitions").asText());
    assertEquals("exported", p.get("snapshot").asText());
    assertEquals("PT5M", p.get("statementTimeout").asText());
    assertEquals("b-launch", p.get("buildId").asText());
    assertEquals("none", p.get("progress").asText());
    String snapshotId = p.get("snapshotId").asText();
    assertTrue(snapshotId.matches("^[0-9A-F]+(-[0-9A-F]+)+$"), snapshotId);
    // Every parameter is one the template declares.
    JsonNode metadata =
        new ObjectMapper().readTree(Path.of("../templates/materialise/metadata.json").toFile());
    Set<String> declared = new HashSet<>();
    metadata.get("parameters").forEach(m -> declared.add(m.get("name").asText()));
    List<String> sent = new ArrayList<>();
    p.fieldNames().forEachRemaining(sent::add);
    assertTrue(declared.containsAll(sent), "undeclared parameters in " + sent);
    // No password anywhere in what went to Dataflow.
    assertFalse(launch.rawBody().contains("url-pass-4711"), launch.rawBody());
    assertFalse(launch.rawBody().contains("catalog-pass-0815"), launch.rawBody());

    // The snapshot is real and held: the catalog's coordinator sits idle in its transaction, and
    // a reader can import it, as every partition of the job does.
    assertEquals(1, coordinatorSessions("b-launch"));
    try (Connection reader = DriverManager.getConnection(superuserUrl);
        Statement s = reader.createStatement()) {
      s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      s.execute("SET TRANSACTION SNAPSHOT '" + snapshotId + "'");
      s.execute("COMMIT");
    }

    dataflow.setState(launch.jobId(), "JOB_STATE_FAILED");
    assertInstanceOf(BuildResult.Failed.class, await(build));
    awaitReleased("b-launch");
  }

  @Test
  void aSourceWithAPasswordButNoSecretIsNotLaunched() throws Exception {
    DataflowLauncher noSecrets = launcher(Duration.ofMinutes(10), Map.of());
    try {
      int before = dataflow.launches.size();
      IOException refused =
          assertThrows(
              IOException.class,
              () -> noSecrets.launch(spec("b-nosecret", readerUrl, "catalog-pass"), p -> {}));
      assertTrue(
          refused.getMessage().contains("--source-password-secret src="), refused.getMessage());
      assertEquals(before, dataflow.launches.size());
      assertEquals(0, coordinatorSessions("b-nosecret"));
    } finally {
      noSecrets.close();
    }
  }

  @Test
  void aRefusedLaunchFailsWithGooglesReasonAndReleasesTheSnapshot() {
    dataflow.refuseNextLaunch("Template file gs://amber-templates/x.json was not found");
    IOException refused =
        assertThrows(
            IOException.class, () -> launcher.launch(spec("b-refused", readerUrl, null), p -> {}));
    assertEquals(
        "Dataflow refused to launch the job: Template file gs://amber-templates/x.json was not"
            + " found",
        refused.getMessage());
    awaitReleased("b-refused");
  }

  @Test
  void everyActiveStateKeepsTheBuildRunningAndDoneReadsWhatTheJobCommitted() throws Exception {
    RunningBuild build = launcher.launch(spec("b-active", readerUrl, null), p -> {});
    String job = launchOf(build).jobId();
    for (String state :
        List.of(
            "JOB_STATE_UNKNOWN",
            "JOB_STATE_STOPPED",
            "JOB_STATE_PENDING",
            "JOB_STATE_QUEUED",
            "JOB_STATE_RUNNING",
            "JOB_STATE_CANCELLING",
            "JOB_STATE_DRAINING",
            "JOB_STATE_RESOURCE_CLEANING_UP")) {
      dataflow.setState(job, state);
      awaitPolled(job);
      assertFalse(build.result().isDone(), state + " is not an end");
      assertEquals(1, coordinatorSessions("b-active"), "the snapshot is held while " + state);
    }
    BuildSummary committed = CommittedJob.write(artifacts.rootUri(), "d", "b-active", job);
    dataflow.setState(job, "JOB_STATE_DONE");

    BuildResult.Succeeded done = assertInstanceOf(BuildResult.Succeeded.class, await(build));
    assertEquals(committed.address(), done.address());
    assertEquals(committed.manifest(), done.manifestUri());
    assertEquals(committed.contentDigest(), done.contentDigest());
    assertEquals(committed.rows(), done.rows());
    assertEquals(committed.bytes(), done.bytes());
    assertEquals(artifacts.layout("d").buildRecord("b-active"), done.buildRecordUri());
    awaitReleased("b-active");
  }

  @ParameterizedTest(name = "{0}, committed {1}")
  @CsvSource({
    "JOB_STATE_DONE, false, finished without committing a version",
    "JOB_STATE_DRAINED, true, ",
    "JOB_STATE_DRAINED, false, was drained without committing a version",
    "JOB_STATE_FAILED, false, failed: java.lang.IllegalStateException: column \"nope\" does not"
        + " exist",
    "JOB_STATE_CANCELLED, false, was cancelled outside the catalog",
    "JOB_STATE_UPDATED, false, outside the catalog, which does not follow it",
  })
  void everyEndStateIsMapped(String state, boolean commit, String message) throws Exception {
    String buildId = "b-" + state.toLowerCase().replace('_', '-') + "-" + commit;
    RunningBuild build = launcher.launch(spec(buildId, readerUrl, null), p -> {});
    String job = launchOf(build).jobId();
    Path staging = Path.of(java.net.URI.create(artifacts.layout("d").stagingDir(buildId)));
    Files.createDirectories(staging);
    Files.writeString(staging.resolve("part-00000.tmp"), "half written");
    dataflow.setErrors(
        job,
        List.of(
            "java.lang.IllegalStateException: column \"nope\" does not exist\n\tat Reader.read",
            "Workflow failed. Causes: S01 failed."));
    if (commit) {
      Files.delete(staging.resolve("part-00000.tmp"));
      Files.delete(staging);
      CommittedJob.write(artifacts.rootUri(), "d", buildId, job);
    }
    dataflow.setState(job, state);

    BuildResult result = await(build);
    if (commit) {
      assertInstanceOf(BuildResult.Succeeded.class, result);
    } else {
      BuildError error = assertInstanceOf(BuildResult.Failed.class, result).error();
      assertEquals(BuildError.BUILD_FAILED, error.type());
      assertTrue(error.message().contains(job), error.message());
      assertTrue(error.message().contains(message.strip()), error.message());
      assertFalse(Files.exists(staging), "a build that did not commit leaves no staging files");
    }
    awaitReleased(buildId);
  }

  @Test
  void aJobThatLostItsSnapshotSaysSo() throws Exception {
    RunningBuild build = launcher.launch(spec("b-lost", readerUrl, null), p -> {});
    String job = launchOf(build).jobId();
    dataflow.setErrors(
        job,
        List.of(
            "org.postgresql.util.PSQLException: ERROR: snapshot \"00000003-0000001B-1\" does not"
                + " exist"));
    dataflow.setState(job, "JOB_STATE_FAILED");
    BuildError error = assertInstanceOf(BuildResult.Failed.class, await(build)).error();
    assertTrue(
        error.message().contains("the source snapshot was released before every partition"),
        error.message());
  }

  @Test
  void cancellingAsksDataflowToCancelAndReleasesTheSnapshot() throws Exception {
    RunningBuild build = launcher.launch(spec("b-cancel", readerUrl, null), p -> {});
    String job = launchOf(build).jobId();
    dataflow.setState(job, "JOB_STATE_RUNNING");
    awaitPolled(job);

    build.cancel();

    assertInstanceOf(BuildResult.Cancelled.class, build.result().getNow(null));
    assertTrue(dataflow.cancelRequests.contains(job + " JOB_STATE_CANCELLED"));
    assertEquals("JOB_STATE_CANCELLED", dataflow.state(job));
    awaitReleased("b-cancel");
  }

  @Test
  void amberCountersBecomeProgress() throws Exception {
    List<Progress> progress = new CopyOnWriteArrayList<>();
    RunningBuild build = launcher.launch(spec("b-progress", readerUrl, null), progress::add);
    String job = launchOf(build).jobId();
    dataflow.setCounters(job, 3, 1000, 5000);
    dataflow.setState(job, "JOB_STATE_RUNNING");

    Poll.until("progress", END, () -> progress, p -> !p.isEmpty());
    // Attempted (tentative) values summed over steps; committed values, other namespaces and
    // Dataflow's own counters are not Amber's progress.
    assertEquals(new Progress(3, 4, 1000, 5000), progress.get(0));
    dataflow.setCounters(job, 4, 2000, 9000);
    Poll.until("more progress", END, () -> progress, p -> p.size() >= 2);
    assertEquals(new Progress(4, 4, 2000, 9000), progress.get(1));
    build.cancel();
  }

  @Test
  void theLongestHoldCancelsTheJobFailsTheBuildAndReleasesTheSnapshot() throws Exception {
    DataflowLauncher impatient = launcher(Duration.ofSeconds(2), Map.of("src", SECRET));
    try {
      RunningBuild build = impatient.launch(spec("b-hold", readerUrl, null), p -> {});
      DataflowStandIn.Launch launch = launchOf(build);
      assertEquals("PT2S", launch.parameters().get("maxSnapshotHold").asText());
      dataflow.setState(launch.jobId(), "JOB_STATE_RUNNING");

      BuildError error = assertInstanceOf(BuildResult.Failed.class, await(build)).error();

      assertEquals(BuildError.SNAPSHOT_EXPIRED, error.type());
      assertTrue(error.message().contains("--max-snapshot-hold"), error.message());
      assertTrue(dataflow.cancelRequests.contains(launch.jobId() + " JOB_STATE_CANCELLED"));
      awaitReleased("b-hold");
      // Released for real: nothing can import the snapshot any more.
      String snapshotId = launch.parameters().get("snapshotId").asText();
      try (Connection reader = DriverManager.getConnection(superuserUrl);
          Statement s = reader.createStatement()) {
        s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        SQLException gone =
            assertThrows(
                SQLException.class,
                () -> s.execute("SET TRANSACTION SNAPSHOT '" + snapshotId + "'"));
        assertTrue(
            gone.getMessage().contains("snapshot \"" + snapshotId + "\" does not exist"),
            gone.getMessage());
      }
    } finally {
      impatient.close();
    }
  }
}
