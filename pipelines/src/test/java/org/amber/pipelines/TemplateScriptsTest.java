package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.amber.pipelines.testing.AmberProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/template-build} and {@code scripts/template-launch} through their dry runs: the
 * commands they print are what a shell runs, and the arguments gcloud receives are exactly the ones
 * given — a parameter value with commas, spaces, quotes or gcloud's own delimiters included.
 * Without a dry run and without gcloud they say so in one line.
 */
class TemplateScriptsTest {
  static final String TEMPLATE = "gs://my-bucket/templates/amber materialise.json";
  static final String IMAGE = "europe-docker.pkg.dev/my-project/amber/materialise:0.1.0";

  @TempDir Path tmp;

  record Run(int exit, String stdout, String stderr) {}

  private Run script(List<String> env, String name, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(AmberProcess.ROOT.resolve("scripts/" + name).toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(tmp.resolve("out").toFile())
            .redirectError(tmp.resolve("err").toFile());
    for (String pair : env) {
      builder
          .environment()
          .put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    Process process = builder.start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), name + " ended");
    return new Run(
        process.exitValue(),
        Files.readString(tmp.resolve("out")),
        Files.readString(tmp.resolve("err")));
  }

  /** The arguments a shell passes to the program of {@code line}, the program's name first. */
  private List<String> argv(String line) throws Exception {
    Path script = tmp.resolve("argv.sh");
    // Every program the line names prints its own name and arguments instead of running.
    Files.writeString(
        script,
        "gcloud() { printf '%s\\0' gcloud \"$@\"; }\n"
            + "docker() { printf '%s\\0' docker \"$@\"; }\n"
            + line
            + "\n");
    Process process =
        new ProcessBuilder("bash", script.toString())
            .redirectOutput(tmp.resolve("argv").toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue());
    String out = Files.readString(tmp.resolve("argv"), StandardCharsets.UTF_8);
    return Arrays.asList(out.substring(0, out.length() - 1).split("\0", -1));
  }

  @Test
  void buildPrintsTheImageBuildPushAndTemplateBuildCommands() throws Exception {
    Run run =
        script(
            List.of(),
            "template-build",
            "--project",
            "my-project",
            "--template",
            TEMPLATE,
            "--image",
            IMAGE,
            "--dry-run",
            "--",
            "--additional-user-labels",
            "team=chem lab,cost=a b");
    assertEquals(0, run.exit(), run.stderr());
    List<String> lines = run.stdout().lines().toList();
    assertEquals(4, lines.size(), run.stdout());
    assertEquals(
        List.of(
            "docker", "build", "--file", "templates/materialise/Dockerfile", "--tag", IMAGE, "."),
        argv(lines.get(1)));
    assertEquals(List.of("docker", "push", IMAGE), argv(lines.get(2)));
    assertEquals(
        List.of(
            "gcloud",
            "dataflow",
            "flex-template",
            "build",
            TEMPLATE,
            "--project",
            "my-project",
            "--image",
            IMAGE,
            "--sdk-language",
            "JAVA",
            "--metadata-file",
            "templates/materialise/metadata.json",
            "--additional-user-labels",
            "team=chem lab,cost=a b"),
        argv(lines.get(3)));
    assertEquals("cd " + AmberProcess.ROOT, lines.get(0), "the commands run from the root");
    assertTrue(Files.isRegularFile(AmberProcess.ROOT.resolve("templates/materialise/Dockerfile")));
  }

  @Test
  void launchPassesEveryParameterValueAsItIsWhateverItContains() throws Exception {
    String query = "SELECT id, name FROM compound WHERE name IN ('a,b', 'c~d', 'e|f') -- ^x^";
    String source = "jdbc:postgresql://10.0.0.5:5432/chem?user=amber_reader&options=-c a=1,2";
    Run run =
        script(
            List.of(),
            "template-launch",
            "--project=my-project",
            "--region",
            "europe-west1",
            "--template",
            TEMPLATE,
            "--job-name",
            "amber-compound-1",
            "--parameter",
            "source=" + source,
            "--parameter",
            "query=" + query,
            "--parameter",
            "dataset=compound",
            "--parameter",
            "formats=parquet,csv.gz",
            "--dry-run",
            "--",
            "--max-workers",
            "4");
    assertEquals(0, run.exit(), run.stderr());
    assertEquals(1, run.stdout().lines().count(), run.stdout());
    List<String> argv = argv(run.stdout().strip());
    assertEquals(
        List.of(
            "gcloud",
            "dataflow",
            "flex-template",
            "run",
            "amber-compound-1",
            "--project",
            "my-project",
            "--region",
            "europe-west1",
            "--template-file-gcs-location",
            TEMPLATE),
        argv.subList(0, 11));
    assertEquals(List.of("--max-workers", "4"), argv.subList(12, 14));
    // gcloud's escaping: --parameters=^D^a=1Db=2 splits at D instead of at commas.
    String parameters = argv.get(11);
    assertTrue(parameters.startsWith("--parameters=^"), parameters);
    char delimiter = parameters.charAt("--parameters=^".length());
    String prefix = "--parameters=^" + delimiter + "^";
    assertTrue(parameters.startsWith(prefix), parameters);
    List<String> pairs =
        Arrays.asList(
            parameters
                .substring(prefix.length())
                .split(java.util.regex.Pattern.quote(String.valueOf(delimiter)), -1));
    assertEquals(
        List.of("source=" + source, "query=" + query, "dataset=compound", "formats=parquet,csv.gz"),
        pairs);
  }

  @Test
  void aLaunchWithoutAJobNameIsNamedAfterItsDataset() throws Exception {
    Run run =
        script(
            List.of(),
            "template-launch",
            "--project=p",
            "--region=r",
            "--template=gs://b/t.json",
            "--parameter=source=jdbc:postgresql://h/db",
            "--parameter=dataset=potent.assays_2",
            "--dry-run");
    assertEquals(0, run.exit(), run.stderr());
    String jobName = argv(run.stdout().strip()).get(4);
    assertTrue(jobName.matches("amber-potent-assays-2-[0-9]{8}-[0-9]{6}"), jobName);
  }

  @Test
  void bothAnswerHelpAndRefuseBadArgumentsInOneLine() throws Exception {
    for (String name : List.of("template-build", "template-launch")) {
      Run help = script(List.of(), name, "--help");
      assertEquals(0, help.exit());
      assertTrue(help.stdout().startsWith("Usage: scripts/" + name), help.stdout());
      assertTrue(help.stdout().contains("--dry-run"));
      assertTrue(help.stdout().contains("Example:"));
      Run missing = script(List.of(), name, "--dry-run");
      assertEquals(2, missing.exit());
      assertEquals(name + ": --project is required (see --help)\n", missing.stderr());
    }
    Run unknown =
        script(
            List.of(),
            "template-launch",
            "--project=p",
            "--region=r",
            "--template=gs://b/t.json",
            "--parameter",
            "sourcePassword=hunter2",
            "--dry-run");
    assertEquals(2, unknown.exit());
    assertEquals(1, unknown.stderr().lines().count(), unknown.stderr());
    assertTrue(
        unknown.stderr().startsWith("template-launch: unknown parameter 'sourcePassword'"),
        unknown.stderr());
    Run notGs =
        script(
            List.of(), "template-build", "--project=p", "--template=/tmp/t.json", "--image", IMAGE);
    assertEquals(2, notGs.exit());
    assertEquals(
        "template-build: --template must be a gs:// path, got '/tmp/t.json'\n", notGs.stderr());
  }

  @Test
  void withoutGcloudARealRunSaysSoInOneLine() throws Exception {
    // A PATH with the tools the scripts use, and neither gcloud nor docker.
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    for (String tool : List.of("bash", "dirname", "grep", "sed", "date", "tr")) {
      Path found = which(tool);
      Files.createSymbolicLink(bin.resolve(tool), found);
    }
    List<String> env = List.of("PATH=" + bin);
    Run launch =
        script(
            env,
            "template-launch",
            "--project=p",
            "--region=r",
            "--template=gs://b/t.json",
            "--parameter=source=jdbc:postgresql://h/db",
            "--parameter=dataset=d");
    assertEquals(2, launch.exit(), launch.stderr());
    assertEquals(
        "template-launch: gcloud is not on PATH; install the Google Cloud CLI (--dry-run shows the"
            + " command)\n",
        launch.stderr());
    Run build =
        script(env, "template-build", "--project=p", "--template=gs://b/t.json", "--image", IMAGE);
    assertEquals(2, build.exit(), build.stderr());
    assertEquals(1, build.stderr().lines().count(), build.stderr());
    assertTrue(build.stderr().startsWith("template-build: docker is not on PATH"), build.stderr());
  }

  private static Path which(String tool) throws IOException {
    for (String dir : System.getenv("PATH").split(":")) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate.toRealPath();
      }
    }
    throw new IOException(tool + " is not on PATH");
  }
}
