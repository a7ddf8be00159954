package org.amber.catalog.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.amber.catalog.artifact.ArtifactStore;
import org.amber.catalog.artifact.GcsArtifactStore;
import org.amber.catalog.artifact.LocalArtifactStore;
import org.amber.catalog.artifact.SigningKeys;
import org.amber.catalog.domain.model.BuildError;
import org.amber.catalog.domain.model.Progress;
import org.amber.catalog.testing.Poll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the launcher handles its child process, with a stand-in jar ({@link FakePipeline}) so that
 * each way a process can end is produced on purpose. The real pipeline is exercised by the *IT
 * tests.
 */
class LocalProcessLauncherTest {
  private static final Duration END = Duration.ofSeconds(60);
  @TempDir static Path dir;
  private static Path fakeJar;
  private static ArtifactStore artifacts;
  private static LocalProcessLauncher launcher;

  @BeforeAll
  static void buildFakeJar() throws Exception {
    fakeJar = FakePipelineJar.create(dir.resolve("fake-pipelines.jar"));
    artifacts = new LocalArtifactStore(dir.resolve("out").toUri().toString());
    launcher = new LocalProcessLauncher(fakeJar, "64m", artifacts);
  }

  private static BuildSpec spec(String behaviour, String buildId) {
    return new BuildSpec(
        buildId,
        "d",
        "src",
        "jdbc:postgresql://127.0.0.1:1/x",
        "secret",
        null,
        "fake." + behaviour,
        List.of("parquet"),
        null,
        null,
        Duration.ofHours(2),
        null);
  }

  private static BuildResult run(String behaviour, List<Progress> progress) throws Exception {
    RunningBuild build = launcher.launch(spec(behaviour, "b-" + behaviour), progress::add);
    return build.result().get(END.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void successReadsTheSummaryLineAndProgressEvents() throws Exception {
    List<Progress> progress = new CopyOnWriteArrayList<>();
    BuildResult result = run("success", progress);
    BuildResult.Succeeded done = assertInstanceOf(BuildResult.Succeeded.class, result);
    assertEquals("sha256-00", done.address());
    assertEquals("file:///m", done.manifestUri());
    assertEquals("file:///b", done.buildRecordUri());
    assertEquals(10, done.rows());
    assertEquals(List.of(new Progress(0, 4, 0, 0), new Progress(4, 4, 10, 99)), progress);
  }

  @Test
  void failuresCarryTheOneReadableLine() throws Exception {
    BuildError error =
        assertInstanceOf(BuildResult.Failed.class, run("fail", new CopyOnWriteArrayList<>()))
            .error();
    assertEquals(BuildError.BUILD_FAILED, error.type());
    assertEquals("column \"nope\" does not exist", error.message());

    error =
        assertInstanceOf(BuildResult.Failed.class, run("crash", new CopyOnWriteArrayList<>()))
            .error();
    assertEquals(
        "Exception in thread main: something broke badly", error.message(), "the last stderr line");

    error =
        assertInstanceOf(BuildResult.Failed.class, run("oom", new CopyOnWriteArrayList<>()))
            .error();
    assertEquals(BuildError.OUT_OF_MEMORY, error.type());

    error =
        assertInstanceOf(BuildResult.Failed.class, run("no-summary", new CopyOnWriteArrayList<>()))
            .error();
    assertTrue(error.message().contains("summary"), error.message());
  }

  @Test
  void cancelStopsTheProcessAndRemovesStaging() throws Exception {
    List<Progress> progress = new CopyOnWriteArrayList<>();
    RunningBuild build = launcher.launch(spec("hang", "b-hang"), progress::add);
    Path staging = dir.resolve("out/d/.staging/b-hang");
    Poll.until("the build to write staging files", END, () -> progress.size(), n -> n >= 2);
    assertTrue(Files.exists(staging.resolve("part-00000.tmp")));
    ProcessHandle process = ProcessHandle.of(build.pid().getAsLong()).orElseThrow();

    build.cancel();

    assertFalse(process.isAlive());
    assertFalse(Files.exists(staging));
    assertInstanceOf(BuildResult.Cancelled.class, build.result().getNow(null));
  }

  @Test
  void aMissingJarIsALaunchFailureNotAHang() {
    LocalProcessLauncher nowhere =
        new LocalProcessLauncher(dir.resolve("missing.jar"), "64m", artifacts);
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class, () -> nowhere.launch(spec("success", "b-x"), p -> {}));
    assertTrue(e.getMessage().contains("AMBER_PIPELINES_JAR"), e.getMessage());
  }

  @Test
  void aClassArchiveNewerThanTheJarIsMappedAndAnOlderOneIsNot() throws Exception {
    Path jar = jarAlone("archived");
    LocalProcessLauncher archived = new LocalProcessLauncher(jar, "64m", artifacts);
    String flag = "-XX:SharedArchiveFile=" + jar.resolveSibling("p.jsa");
    assertFalse(
        archived.command(spec("success", "b-a"), Optional.empty()).contains(flag),
        "no archive yet");

    Path archive = Files.writeString(jar.resolveSibling("p.jsa"), "archive");
    java.nio.file.attribute.FileTime jarTime = Files.getLastModifiedTime(jar);
    Files.setLastModifiedTime(
        archive, java.nio.file.attribute.FileTime.fromMillis(jarTime.toMillis() + 1000));
    List<String> command = archived.command(spec("success", "b-a"), Optional.empty());
    assertTrue(command.contains(flag), command.toString());
    assertTrue(command.indexOf(flag) < command.indexOf("-jar"), "a JVM option: " + command);

    Files.setLastModifiedTime(
        archive, java.nio.file.attribute.FileTime.fromMillis(jarTime.toMillis() - 1000));
    assertFalse(
        archived.command(spec("success", "b-a"), Optional.empty()).contains(flag),
        "made for an older jar");
  }

  @Test
  void theJvmOptionsPackagedNextToTheJarComeFirst() throws Exception {
    Path jar = jarAlone("options");
    LocalProcessLauncher withOptions = new LocalProcessLauncher(jar, "64m", artifacts);
    String flag = "@" + jar.resolveSibling("p.jvm-options");
    assertFalse(
        withOptions.command(spec("success", "b-o"), Optional.empty()).contains(flag),
        "no options file yet");

    Files.writeString(jar.resolveSibling("p.jvm-options"), "-XX:MaxNewSize=16m\n");
    List<String> command = withOptions.command(spec("success", "b-o"), Optional.empty());
    assertEquals(flag, command.get(1), command.toString());
    assertTrue(command.indexOf("-Xmx64m") > 1, "the catalog's heap is given after: " + command);
  }

  @Test
  void onlyACommittedBuildsClassArchiveIsKeptAndTheNextBuildMapsIt() throws Exception {
    Path jar = jarAlone("recording");
    LocalProcessLauncher recorder = new LocalProcessLauncher(jar, "64m", artifacts);
    Path archive = jar.resolveSibling("p.jsa");

    RunningBuild failed = recorder.launch(spec("fail", "b-rf"), p -> {});
    assertInstanceOf(
        BuildResult.Failed.class, failed.result().get(END.toSeconds(), TimeUnit.SECONDS));
    Poll.until(
        "the failed build's archive to be dropped", END, () -> besideJar(jar), List::isEmpty);
    assertFalse(Files.exists(archive), "kept from a build that failed");

    RunningBuild built = recorder.launch(spec("success", "b-rs"), p -> {});
    assertInstanceOf(
        BuildResult.Succeeded.class, built.result().get(END.toSeconds(), TimeUnit.SECONDS));
    Poll.until("the committed build's archive", END, () -> Files.exists(archive), kept -> kept);
    Poll.until("no partial archive left", END, () -> besideJar(jar), List::isEmpty);
    assertTrue(
        recorder
            .command(spec("success", "b-next"), Optional.empty())
            .contains("-XX:SharedArchiveFile=" + archive),
        "the next build maps it");
  }

  @Test
  void archivesLeftRecordingByAStoppedCatalogAreDroppedAtStart() throws Exception {
    Path jar = jarAlone("stopped");
    Files.writeString(jar.resolveSibling("p.jsa.catalog-1234"), "half an archive");
    Files.writeString(jar.resolveSibling("p.jsa.catalog-1234.ok"), "");
    Path archive = Files.writeString(jar.resolveSibling("p.jsa"), "an archive");

    new LocalProcessLauncher(jar, "64m", artifacts);

    assertEquals(List.of(), besideJar(jar));
    assertTrue(Files.exists(archive), "the archive itself is kept");
  }

  /** What builds left beside the jar other than the archive itself: partial archives, marks. */
  private static List<String> besideJar(Path jar) {
    try (java.util.stream.Stream<Path> files = Files.list(jar.getParent())) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("p.jsa."))
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A copy of the fake jar in a folder of its own, where the test puts what lies beside it. */
  private Path jarAlone(String folder) throws java.io.IOException {
    return Files.copy(fakeJar, Files.createDirectories(dir.resolve(folder)).resolve("p.jar"));
  }

  @Test
  void theCommandFollowsTheMaterialiseContract() throws Exception {
    // A jar no build has run from: no class archive, recorded or being recorded, beside it.
    Path jar = jarAlone("contract");
    List<String> command =
        new LocalProcessLauncher(jar, "64m", artifacts)
            .command(
                new BuildSpec(
                    "b-1",
                    "ds",
                    "src",
                    "jdbc:postgresql://h/db?user=u&password=urlpw",
                    "pw",
                    "SELECT 1",
                    null,
                    List.of("csv.gz", "parquet"),
                    "id",
                    8,
                    Duration.ofMinutes(5),
                    "file:///data/ds/sha256-ab/manifest.json"),
                Optional.empty());
    assertEquals(
        List.of(
            "-Xmx64m",
            "-XX:+ExitOnOutOfMemoryError",
            "-jar",
            jar.toAbsolutePath().toString(),
            "materialise",
            "--query-file=-",
            "--dataset=ds",
            "--output=" + artifacts.rootUri(),
            "--formats=csv.gz,parquet",
            "--build-id=b-1",
            "--progress=json",
            "--statement-timeout=PT5M",
            "--partition-column=id",
            "--partitions=8",
            "--compare-with=file:///data/ds/sha256-ab/manifest.json"),
        command.subList(1, command.size()));
    String line = String.join(" ", command);
    assertFalse(line.contains("pw"), "the passwords go by environment only");
    assertFalse(line.contains("jdbc:"), "the source URL goes by environment only");
    assertFalse(line.contains("SELECT"), "the query goes by stdin only");
  }

  @Test
  void aGcsRootIsPassedToTheBuildAndItsStagingRemovedThere() {
    Storage storage = LocalStorageHelper.getOptions().getService();
    storage.create(
        BlobInfo.newBuilder(BlobId.of("amber-test", "exports/ds/.staging/b-2/part-00000.tmp"))
            .build(),
        new byte[] {1});
    LocalProcessLauncher onGcs =
        new LocalProcessLauncher(
            fakeJar,
            "64m",
            new GcsArtifactStore(
                "gs://amber-test/exports/",
                storage,
                SigningKeys.serviceAccount("launcher"),
                Duration.ofMinutes(15)));
    List<String> command =
        onGcs.command(
            new BuildSpec(
                "b-2",
                "ds",
                "src",
                "jdbc:postgresql://h/db",
                null,
                null,
                "public.t",
                List.of("parquet"),
                null,
                null,
                Duration.ofMinutes(5),
                null),
            Optional.empty());
    assertTrue(command.contains("--output=gs://amber-test/exports"), command.toString());

    onGcs.cleanUpInterrupted("ds", "b-2", null);

    assertFalse(
        storage
            .list("amber-test", Storage.BlobListOption.prefix("exports/ds/.staging/"))
            .iterateAll()
            .iterator()
            .hasNext());
  }
}
