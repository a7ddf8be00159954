package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.amber.artifacts.protocol.ProtocolLines;
import org.amber.pipelines.testing.AmberProcess;
import org.amber.pipelines.testing.Utf8Bytes;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/amber materialise} keeps the class data sharing archive a run's JVM wrote only if
 * the run was a build that committed, never that of a run that printed help or refused its options,
 * and later builds map it. The jar is linked into a folder of the test's own ({@code
 * AMBER_PIPELINES_JAR}), so that the archive the other tests' builds use is left alone.
 */
class ClassArchiveIT {
  /** A class only a build loads: an archive of a help or refused run does not hold it. */
  private static final String BUILD_CLASS = "org/amber/transforms/export/ExportPartitions";

  @TempDir Path dir;
  static String url;

  @BeforeAll
  static void table() throws Exception {
    url = TestPostgres.freshDatabase("class_archive");
    TestPostgres.execute(
        url,
        "CREATE TABLE item (id int PRIMARY KEY, name text)",
        "INSERT INTO item SELECT g, 'item ' || g FROM generate_series(1, 100) g");
  }

  private record Run(int exitCode, List<String> stdout, List<String> stderr) {}

  private Run amber(Path jar, String name, String... args) throws Exception {
    Path stdout = dir.resolve(name + ".out");
    Path stderr = dir.resolve(name + ".err");
    ProcessBuilder builder = AmberProcess.amber(stdout, stderr, args);
    builder.environment().put("AMBER_PIPELINES_JAR", jar.toString());
    builder.environment().remove("AMBER_JAVA_OPTS");
    Process process = AmberProcess.start(builder);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "amber did not end");
    return new Run(process.exitValue(), Files.readAllLines(stdout), Files.readAllLines(stderr));
  }

  private Run build(Path jar, String name) throws Exception {
    String output = dir.resolve("out").toUri().toString();
    return amber(
        jar,
        name,
        "materialise",
        "--source",
        url,
        "--table",
        "item",
        "--dataset",
        "items",
        "--output",
        output,
        "--progress",
        "none");
  }

  /** The packaged jar, its libraries and its JVM options, linked into a folder of their own. */
  private Path linkedJar() throws Exception {
    Path target = AmberProcess.ROOT.resolve("pipelines/target");
    Path jars = Files.createDirectories(dir.resolve("jars"));
    for (String name : List.of("amber-pipelines.jar", "lib", "amber-pipelines.jvm-options")) {
      Files.createSymbolicLink(jars.resolve(name), target.resolve(name));
    }
    return jars.resolve("amber-pipelines.jar");
  }

  @Test
  void onlyACommittedBuildsArchiveIsKeptAndLaterBuildsMapIt() throws Exception {
    Path jar = linkedJar();
    Path archive = jar.resolveSibling("amber-pipelines.jsa");

    Run help = amber(jar, "help", "materialise", "--help");
    assertEquals(0, help.exitCode(), String.join("\n", help.stderr()));
    Run refused = amber(jar, "refused", "materialise", "--source", url, "--tabel", "item");
    assertEquals(2, refused.exitCode(), String.join("\n", refused.stderr()));
    assertFalse(Files.exists(archive), "kept from a run that built nothing");

    Run first = build(jar, "first");
    assertEquals(0, first.exitCode(), String.join("\n", first.stderr()));
    assertFalse(Files.exists(archive), "kept from a run that built nothing");
    List<String> recorded = recordedBeside(jar);
    assertEquals(2, recorded.size(), "the first build's archive and its mark: " + recorded);
    assertTrue(recorded.get(1).equals(recorded.get(0) + ".ok"), recorded.toString());

    Run second = build(jar, "second");
    assertEquals(0, second.exitCode(), String.join("\n", second.stderr()));
    String last = second.stdout().get(second.stdout().size() - 1);
    assertTrue(ProtocolLines.readSummary(last).isPresent(), "the summary stays last: " + last);
    assertTrue(Files.isRegularFile(archive), "the committed build's archive was not kept");
    assertTrue(
        Utf8Bytes.contains(Files.readAllBytes(archive), BUILD_CLASS),
        "the archive lacks the build's classes");
    assertTrue(
        Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0,
        "older than the jar, so never mapped");
    assertEquals(List.of(), recordedBeside(jar), "a build that maps the archive records none");

    byte[] kept = Files.readAllBytes(archive);
    Run third = build(jar, "third");
    assertEquals(0, third.exitCode(), String.join("\n", third.stderr()));
    assertArrayEquals(kept, Files.readAllBytes(archive), "replaced instead of mapped");
    assertEquals(List.of(), recordedBeside(jar));
  }

  /** The archives (and marks) runs wrote beside the jar that are not (yet) the archive, sorted. */
  private static List<String> recordedBeside(Path jar) throws Exception {
    try (Stream<Path> beside = Files.list(jar.getParent())) {
      return beside
          .map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith("amber-pipelines.jsa."))
          .sorted()
          .toList();
    }
  }
}
