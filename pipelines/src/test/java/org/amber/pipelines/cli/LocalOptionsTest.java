package org.amber.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that runs one local build registers only the direct runner's and Amber's Beam options
 * (OptionsRegistry); any other option sends it down the full registry, as before.
 */
class LocalOptionsTest {
  @TempDir Path dir;
  static String url;

  @BeforeAll
  static void table() throws Exception {
    url = TestPostgres.freshDatabase("localoptions");
    TestPostgres.execute(url, "CREATE TABLE item (id int PRIMARY KEY, name text)");
  }

  @Test
  void onlyTheDirectRunnersAndAmbersOptionsAreLocal() {
    assertTrue(
        OptionsRegistry.onlyLocal(
            List.of(
                "--source",
                "jdbc:x",
                "--table",
                "t",
                "--target-parallelism",
                "2",
                "--runner",
                "DirectRunner",
                "--query-file",
                "q.sql")));
    assertTrue(
        OptionsRegistry.onlyLocal(List.of("--runner=direct", "--enforceImmutability=false")));
    assertTrue(
        OptionsRegistry.onlyLocal(List.of("--runner=org.apache.beam.runners.direct.DirectRunner")));
    assertFalse(OptionsRegistry.onlyLocal(List.of("--runner", "DataflowRunner")));
    assertFalse(OptionsRegistry.onlyLocal(List.of("--runner=DataflowRunner")));
    assertFalse(OptionsRegistry.onlyLocal(List.of("--project", "p", "--table", "t")));
    assertFalse(OptionsRegistry.onlyLocal(List.of("--partitons", "4")));
  }

  @Test
  void aProcessBuildsWithTheLocalRegistryAndWithTheFullOne() throws Exception {
    // A direct-runner option: the narrowed registry must know it.
    JsonNode local = build("local", "--target-parallelism", "2");
    assertEquals(0, local.get("rows").asLong());
    // A GCP option on the direct runner: the full registry parses it.
    JsonNode full = build("full", "--project", "some-project");
    assertEquals(local.get("content_digest"), full.get("content_digest"));
  }

  /**
   * Runs AmberCli.main in its own JVM (narrowing is allowed only there) and returns its summary.
   */
  private JsonNode build(String name, String... extra) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AmberCli.class.getName(),
                "materialise",
                "--progress",
                "none",
                "--source",
                url,
                "--table",
                "item",
                "--dataset",
                "items",
                "--output",
                dir.resolve(name).toUri().toString()));
    command.addAll(List.of(extra));
    Path stdout = dir.resolve(name + ".out");
    Path stderr = dir.resolve(name + ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the build ended");
    assertEquals(0, process.exitValue(), Files.readString(stderr));
    List<String> lines = Files.readAllLines(stdout);
    return new ObjectMapper().readTree(lines.get(lines.size() - 1));
  }
}
