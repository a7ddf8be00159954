package org.amber.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.amber.testsupport.TestPostgres;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.io.LocalFileSystemRegistrar;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that runs one local build registers only the direct runner's and Amber's Beam options
 * (OptionsRegistry), and with only local files only Beam core's file systems; any other option
 * sends it down the full registry, and any other storage keeps every file system, as before.
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
  void storageOtherThanLocalFilesKeepsEveryFileSystem() {
    assertTrue(OptionsRegistry.onlyLocalFiles(List.of("--table", "t", "--runner", "direct")));
    assertTrue(
        OptionsRegistry.onlyLocalFiles(
            List.of("--output", "/tmp/out", "--compare-with=file:///a/manifest.json")));
    assertTrue(OptionsRegistry.onlyLocalFiles(List.of("--output=FILE:///tmp/out")));
    assertTrue(OptionsRegistry.onlyLocalFiles(List.of("--output=relative/dir")));
    assertFalse(OptionsRegistry.onlyLocalFiles(List.of("--output", "gs://bucket/x")));
    assertFalse(
        OptionsRegistry.onlyLocalFiles(
            List.of("--output=/tmp/out", "--compareWith=gs://b/m.json")));
    assertFalse(OptionsRegistry.onlyLocalFiles(List.of("--compare-with", "s3://b/m.json")));
    assertFalse(OptionsRegistry.onlyLocalFiles(List.of("--output=/a", "--output=hdfs:/x")));
    // Anything with a colon but file: may be another file system: kept, even if Beam would not.
    assertFalse(OptionsRegistry.onlyLocalFiles(List.of("--output=dir:with-colon")));
  }

  @Test
  void theLocalFilesLoaderLendsBeamCoresFileSystemsOnly() throws Exception {
    ClassLoader usual = getClass().getClassLoader();
    ClassLoader local = new OptionsRegistry.CoreFileSystemsOnly(usual);
    assertEquals(
        Set.of(
            LocalFileSystemRegistrar.class.getName(),
            "org.apache.beam.sdk.io.ClassLoaderFileSystem$ClassLoaderFileSystemRegistrar"),
        fileSystems(local));
    assertTrue(
        fileSystems(usual)
            .contains("org.apache.beam.sdk.extensions.gcp.storage.GcsFileSystemRegistrar"),
        "the usual loader still has GCS's, for builds with gs:// paths");
    String other = "META-INF/services/" + PipelineOptionsRegistrar.class.getName();
    assertFalse(Collections.list(local.getResources(other)).isEmpty());
    assertEquals(
        Collections.list(usual.getResources(other)), Collections.list(local.getResources(other)));
  }

  private static Set<String> fileSystems(ClassLoader loader) {
    return ServiceLoader.load(FileSystemRegistrar.class, loader).stream()
        .map(provider -> provider.type().getName())
        .collect(Collectors.toSet());
  }

  @Test
  void aProcessBuildsWithTheLocalRegistryAndWithTheFullOne() throws Exception {
    // A direct-runner option: the narrowed registry must know it. Local files only: GCS's file
    // system (and its options, which it would make every later view of the options check) is
    // never set up.
    Path classes = dir.resolve("local.classes");
    JsonNode local =
        build("local", List.of("-Xlog:class+load:file=" + classes), "--target-parallelism", "2");
    assertEquals(0, local.get("rows").asLong());
    String loaded = Files.readString(classes);
    assertTrue(
        loaded.contains(" org.apache.beam.sdk.io.LocalFileSystem "), "the log lists classes");
    assertFalse(loaded.contains("org.apache.beam.sdk.extensions.gcp.storage.GcsFileSystem"));
    assertFalse(loaded.contains("org.apache.beam.sdk.extensions.gcp.options.GcsOptions"));
    // A GCP option on the direct runner: the full registry parses it.
    JsonNode full = build("full", List.of(), "--project", "some-project");
    assertEquals(local.get("content_digest"), full.get("content_digest"));
  }

  /**
   * Runs AmberCli.main in its own JVM (narrowing is allowed only there) and returns its summary.
   */
  private JsonNode build(String name, List<String> jvmOptions, String... extra) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
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
