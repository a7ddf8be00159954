package org.amber.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.amber.catalog.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog's command line as a person meets it, through the packaged jar: --help everywhere, a
 * misspelt option answered with the real one, and a start-up that prints a few readable lines while
 * the libraries' chatter goes to the log file (or to stderr with --verbose).
 */
class CatalogCliIT {
  private static final Pattern URL = Pattern.compile("url: +(http://\\S+)");

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : started) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** The outcome of one finished command. */
  private record Run(int exitCode, String stdout, String stderr) {}

  private ProcessBuilder amber(String name, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(System.getProperty("amber.catalog.jar", "target/amber-catalog.jar"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile());
  }

  private Run run(String... args) throws Exception {
    Process p = amber("run", args).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished: " + List.of(args));
    return new Run(p.exitValue(), read("run.out"), read("run.err"));
  }

  private String read(String file) {
    try {
      Path path = dir.resolve(file);
      return Files.exists(path) ? Files.readString(path) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertHelp(Run run, String usage) {
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stdout().startsWith("Usage: " + usage), run.stdout());
    assertTrue(run.stdout().contains("Example"), "an example:\n" + run.stdout());
    assertFalse(
        Pattern.compile("=<[a-z]+[A-Z]").matcher(run.stdout()).find(),
        "no Java field names as labels:\n" + run.stdout());
  }

  @Test
  void everyCommandAnswersHelpAndAMisspeltOptionGetsTheRealOne() throws Exception {
    assertHelp(run("--help"), "amber");
    Run serve = run("serve", "--help");
    assertHelp(serve, "amber serve");
    for (String option :
        List.of(
            "--port=N",
            "--data-dir=DIR",
            "--catalog-url=URL",
            "--source=NAME=JDBC_URL",
            "--verbose")) {
      assertTrue(serve.stdout().contains(option), option + " in:\n" + serve.stdout());
    }
    assertHelp(run("token", "--help"), "amber token");
    assertHelp(run("token", "create", "--help"), "amber token create");

    Run typo = run("serve", "--prot", "1");
    assertEquals(2, typo.exitCode());
    assertEquals("amber: unknown option --prot; did you mean --port?", typo.stderr().strip());
    assertEquals("", typo.stdout());
    Run command = run("serv");
    assertEquals(2, command.exitCode());
    assertEquals("amber: unknown command 'serv'; did you mean serve?", command.stderr().strip());
  }

  @Test
  void aGcsOutputRootThatCannotWorkStopsStartUpInOneLine() throws Exception {
    Path noCredentials = Files.createDirectories(dir.resolve("empty-home"));
    String data = "--data-dir=" + dir.resolve("data");
    Map<String, Run> runs = new LinkedHashMap<>();
    runs.put(
        "amber: the output root 'gs://Not_A_Bucket/x' is not gs://BUCKET[/PREFIX] (bucket: 3-222"
            + " of a-z 0-9 . _ -)",
        runWithout(noCredentials, "serve", data, "--output=gs://Not_A_Bucket/x"));
    runs.put(
        "amber: --deletion-grace (PT10M) must be longer than --signed-url-life (PT15M): files"
            + " must outlive the URLs handed out for them",
        runWithout(
            noCredentials, "serve", data, "--output=gs://amber-test/x", "--deletion-grace=PT10M"));
    runs.put(
        "amber: a gs:// output root needs Google credentials, and none were found: set"
            + " GOOGLE_APPLICATION_CREDENTIALS to a service account's key file, or run on Google"
            + " Cloud with a service account",
        runWithout(noCredentials, "serve", data, "--output=gs://amber-test/x"));
    runs.forEach(
        (line, run) -> {
          assertEquals(1, run.exitCode(), run.stderr());
          assertEquals(line, run.stderr().strip());
          assertFalse(run.stdout().contains("ready"), run.stdout());
        });
  }

  @Test
  void aBucketTheCredentialsCannotReachStopsStartUpInOneLine() throws Exception {
    // A service account Google does not know: its key signs, but no token is granted for it
    // (or, offline, none can be asked for), so listing the bucket fails before anything is served.
    KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    Path key = dir.resolve("key.json");
    Files.writeString(
        key,
        new ObjectMapper()
            .writeValueAsString(
                Map.of(
                    "type", "service_account",
                    "project_id", "amber-test",
                    "private_key_id", "k1",
                    "private_key",
                        "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
                            + "\n-----END PRIVATE KEY-----\n",
                    "client_email", "nobody@amber-test.iam.gserviceaccount.com",
                    "client_id", "1",
                    "token_uri", "https://oauth2.googleapis.com/token")));
    ProcessBuilder builder =
        amber(
            "run",
            "serve",
            "--data-dir=" + dir.resolve("data"),
            "--port=0",
            "--output=gs://amber-test/x");
    builder.environment().put("GOOGLE_APPLICATION_CREDENTIALS", key.toString());
    builder.environment().put("NO_GCE_CHECK", "true");
    Process p = builder.start();
    started.add(p);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "serve gave up");
    String stderr = read("run.err").strip();
    assertEquals(1, p.exitValue(), stderr);
    assertTrue(stderr.startsWith("amber: cannot use the output root gs://amber-test/x: "), stderr);
    assertEquals(1, stderr.lines().count(), stderr);
    assertFalse(read("run.out").contains("ready"));
  }

  /**
   * A run with no Google credentials to find: no key file named, no gcloud configuration, and the
   * metadata server not asked (this is not a Google Cloud machine).
   */
  private Run runWithout(Path emptyHome, String... args) throws Exception {
    ProcessBuilder builder = amber("run", args);
    Map<String, String> env = builder.environment();
    env.remove("GOOGLE_APPLICATION_CREDENTIALS");
    env.put("HOME", emptyHome.toString());
    env.put("CLOUDSDK_CONFIG", emptyHome.resolve("gcloud").toString());
    env.put("NO_GCE_CHECK", "true");
    Process p = builder.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished: " + List.of(args));
    return new Run(p.exitValue(), read("run.out"), read("run.err"));
  }

  /** Starts serve on a free port and returns its banner once it says it is ready. */
  private String startServe(String name, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("serve", "--host=127.0.0.1", "--port=0", "--data-dir=" + dir.resolve("data")));
    args.addAll(List.of(extra));
    Process p = amber(name, args.toArray(String[]::new)).start();
    started.add(p);
    return Poll.until(
        name + " to be ready",
        Duration.ofSeconds(60),
        () -> {
          if (!p.isAlive()) {
            throw new AssertionError(
                "serve exited "
                    + p.exitValue()
                    + ":\n"
                    + read(name + ".out")
                    + read(name + ".err"));
          }
          return read(name + ".out");
        },
        out -> out.contains("\nready"));
  }

  @Test
  void startUpPrintsAFewLinesAndLogsTheRestToAFile() throws Exception {
    String banner = startServe("quiet");
    String console = banner + read("quiet.err");
    assertTrue(console.strip().lines().count() <= 10, "a few lines:\n" + console);
    for (String chatter :
        List.of("INFO", "initdb", "Flyway", "flyway", "Jetty", "Javalin", "Hikari")) {
      assertFalse(console.contains(chatter), "no '" + chatter + "' on the console:\n" + console);
    }
    Path log = dir.resolve("data/logs/serve.log");
    assertTrue(banner.contains("catalog listening on 127.0.0.1:"), banner);
    assertTrue(
        banner.contains("catalog:    embedded PostgreSQL in " + dir.resolve("data/.catalog")),
        banner);
    assertTrue(banner.contains("mode:       demo"), banner);
    assertTrue(banner.contains("log:        " + log), banner);
    Matcher url = URL.matcher(banner);
    assertTrue(url.find(), banner);
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url.group(1) + "v1/datasets")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode(), "the URL shown is the service's: " + health.body());
    String logged = Files.readString(log);
    for (String chatter : List.of("INFO", "initdb", "org.flywaydb", "Javalin")) {
      assertTrue(logged.contains(chatter), "'" + chatter + "' in the log file");
    }
  }

  @Test
  void verboseSendsTheLibrariesLogToStderr() throws Exception {
    String banner = startServe("verbose", "--verbose");
    String stderr = read("verbose.err");
    assertTrue(stderr.contains("INFO"), stderr);
    assertTrue(stderr.contains("initdb") && stderr.contains("org.flywaydb"), stderr);
    assertTrue(banner.contains("log:        stderr"), banner);
    assertFalse(banner.contains("INFO"), "stdout stays the banner:\n" + banner);
    assertFalse(Files.exists(dir.resolve("data/logs/serve.log")), "no log file with --verbose");
  }
}
