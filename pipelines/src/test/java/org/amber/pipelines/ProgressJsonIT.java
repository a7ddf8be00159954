package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.amber.artifacts.protocol.BuildEvent;
import org.amber.artifacts.protocol.BuildSummary;
import org.amber.artifacts.protocol.ProtocolLines;
import org.amber.pipelines.testing.AmberProcess;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code amber materialise} process speaks the build protocol that the catalog reads: with
 * {@code --progress json} its stderr carries started, progress and error events, and its last
 * stdout line is the summary, each as {@link ProtocolLines} writes and reads it.
 */
class ProgressJsonIT {
  @TempDir Path out;
  static String url;

  @BeforeAll
  static void table() throws Exception {
    url = TestPostgres.freshDatabase("progress_json");
    TestPostgres.execute(
        url,
        "CREATE TABLE item (id int PRIMARY KEY, name text)",
        "INSERT INTO item SELECT g, 'item ' || g FROM generate_series(1, 100) g");
  }

  private record Run(int exitCode, List<String> stdout, List<String> stderr) {
    List<BuildEvent> events() {
      return stderr.stream().map(ProtocolLines::readEvent).flatMap(Optional::stream).toList();
    }
  }

  private Run materialise(String name, String... args) throws Exception {
    Path stdout = out.resolve(name + ".out");
    Path stderr = out.resolve(name + ".err");
    List<String> all =
        new ArrayList<>(
            List.of(
                "materialise",
                "--source",
                url,
                "--dataset",
                "items",
                "--output",
                out.toUri().toString(),
                "--formats",
                "csv.gz",
                "--progress",
                "json"));
    all.addAll(List.of(args));
    Process process =
        AmberProcess.start(AmberProcess.amber(stdout, stderr, all.toArray(String[]::new)));
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the build did not end");
    return new Run(process.exitValue(), Files.readAllLines(stdout), Files.readAllLines(stderr));
  }

  @Test
  void aBuildReportsItsProgressAndEndsWithItsSummary() throws Exception {
    Run run = materialise("ok", "--table", "item", "--partitions", "2", "--build-id", "b-protocol");

    assertEquals(0, run.exitCode(), String.join("\n", run.stderr()));
    List<BuildEvent> events = run.events();
    assertEquals(new BuildEvent.Started("b-protocol", 2), events.get(0), events.toString());
    BuildEvent.Progress last =
        assertInstanceOf(BuildEvent.Progress.class, events.get(events.size() - 1));
    assertEquals(2, last.partitionsDone());
    assertEquals(2, last.partitionsTotal());
    assertEquals(100, last.rows());
    assertTrue(last.bytes() > 0, last.toString());

    String summaryLine = run.stdout().get(run.stdout().size() - 1);
    BuildSummary summary = ProtocolLines.readSummary(summaryLine).orElseThrow();
    assertEquals(summaryLine, ProtocolLines.write(summary), "the summary's exact text");
    assertEquals("items", summary.dataset());
    assertEquals(100, summary.rows());
    assertTrue(Files.isRegularFile(Path.of(URI.create(summary.manifest()))), summary.manifest());
    assertTrue(Files.isRegularFile(Path.of(URI.create(summary.build()))), summary.build());
  }

  @Test
  void aFailedBuildSaysWhyInAnErrorEvent() throws Exception {
    Run run = materialise("bad", "--query", "SELEC id FROM item");

    assertNotEquals(0, run.exitCode());
    BuildEvent.Error error =
        assertInstanceOf(BuildEvent.Error.class, run.events().get(run.events().size() - 1));
    assertTrue(error.message().contains("syntax error"), error.message());
    assertTrue(
        run.stderr().contains("amber: " + error.message()),
        "the same reason as the readable line: " + run.stderr());
    assertTrue(run.stdout().isEmpty(), "no summary: " + run.stdout());
  }
}
