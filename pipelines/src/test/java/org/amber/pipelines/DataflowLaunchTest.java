package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code materialise --runner DataflowRunner} refuses before it submits anything: the launcher
 * does not wait for a Dataflow job, so it cannot hold the snapshot itself, and a password held by
 * this process cannot reach the workers. And a Secret Manager password is looked up only where a
 * connection is made — here the launcher's planning connection, which fails clearly when Secret
 * Manager cannot be reached. (Submitting to Dataflow itself is not tested here: there is no Google
 * Cloud project to submit to.)
 */
class DataflowLaunchTest {
  @TempDir Path out;
  static String url;

  @BeforeAll
  static void table() throws Exception {
    url = TestPostgres.freshDatabase("dataflow_launch");
    TestPostgres.execute(url, "CREATE TABLE item (id int PRIMARY KEY)");
  }

  private Amber.Result materialise(String... args) {
    String[] all = new String[args.length + 6];
    System.arraycopy(
        new String[] {"--dataset", "items", "--table", "item", "--output", out.toUri().toString()},
        0,
        all,
        0,
        6);
    System.arraycopy(args, 0, all, 6, args.length);
    return Amber.materialise(all);
  }

  private static void assertOneLine(Amber.Result result, String expected) {
    assertNotEquals(0, result.exitCode());
    String stderr = result.stderr().strip();
    assertEquals(1, stderr.lines().count(), stderr);
    assertTrue(stderr.contains(expected), "'" + expected + "' in: " + stderr);
    assertFalse(stderr.contains("Exception"), stderr);
    assertEquals("", result.stdout());
  }

  @Test
  void onDataflowTheExportedSnapshotMustBeHeldByTheCaller() {
    assertOneLine(
        materialise("--source", url, "--runner", "DataflowRunner"),
        "on DataflowRunner the launcher does not wait for the job, so it cannot hold the"
            + " snapshot: give --snapshot-id");
  }

  @Test
  void onDataflowAPasswordInTheUrlIsRefused() {
    assertOneLine(
        materialise(
            "--source",
            url + "&password=hunter2",
            "--runner",
            "DataflowRunner",
            "--snapshot",
            "single"),
        "a password in --source cannot reach DataflowRunner's workers: give"
            + " --source-password-secret");
  }

  @Test
  void aMalformedSecretNameIsRefusedBeforeAnythingIsRead() {
    assertOneLine(
        materialise("--source", url, "--source-password-secret", "chem-reader"),
        "--source-password-secret takes projects/PROJECT/secrets/NAME/versions/VERSION");
  }

  @Test
  void theSecretIsReadWhenTheLauncherConnectsAndItsFailureIsOneLine() {
    Amber.Result result =
        materialise(
            "--source",
            url,
            "--source-password-secret",
            "projects/amber-test-1/secrets/chem-reader/versions/1");
    assertOneLine(
        result,
        "cannot read the source password from Secret Manager"
            + " (projects/amber-test-1/secrets/chem-reader/versions/1)");
  }
}
