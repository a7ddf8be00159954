package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets a non-zero exit, one readable line on stderr (no stack trace) and leaves no
 * committed version behind.
 */
class FailureTest {
  @TempDir Path out;
  static String url;

  @BeforeAll
  static void table() throws Exception {
    url = TestPostgres.freshDatabase("failures");
    TestPostgres.execute(
        url,
        "CREATE TABLE item (id int PRIMARY KEY, name text)",
        "INSERT INTO item SELECT g, 'item ' || g FROM generate_series(1, 100) g");
  }

  private void assertFailsCleanly(Amber.Result result, String expectedInMessage) throws Exception {
    assertNotEquals(0, result.exitCode(), "exit code");
    String stderr = result.stderr().strip();
    assertEquals(1, stderr.lines().count(), "one line on stderr, was:\n" + stderr);
    assertTrue(stderr.startsWith("amber: "), stderr);
    assertTrue(stderr.contains(expectedInMessage), "'" + expectedInMessage + "' in: " + stderr);
    assertFalse(stderr.contains("Exception"), "no exception class names: " + stderr);
    assertEquals(0, Amber.manifestsUnder(out).size(), "no manifest.json anywhere");
  }

  private Amber.Result build(String... args) {
    String[] all = new String[args.length + 6];
    System.arraycopy(
        new String[] {
          "--dataset", "items", "--output", out.toUri().toString(), "--formats", "parquet,csv.gz"
        },
        0,
        all,
        0,
        6);
    System.arraycopy(args, 0, all, 6, args.length);
    return Amber.materialise(all);
  }

  @Test
  void badSql() throws Exception {
    assertFailsCleanly(build("--source", url, "--query", "SELEC id FROM item"), "syntax error");
  }

  @Test
  void unknownColumnInTheQuery() throws Exception {
    assertFailsCleanly(
        build("--source", url, "--query", "SELECT id, nope FROM item"),
        "column \"nope\" does not exist");
  }

  @Test
  void unknownPartitionColumn() throws Exception {
    assertFailsCleanly(
        build("--source", url, "--table", "item", "--partition-column", "nope"),
        "unknown partition column 'nope'; the result has columns: id, name");
  }

  @Test
  void unknownTable() throws Exception {
    assertFailsCleanly(
        build("--source", url, "--table", "public.missing"), "no table named 'public.missing'");
  }

  @Test
  void unreachableSource() throws Exception {
    assertFailsCleanly(
        build("--source", "jdbc:postgresql://127.0.0.1:1/db?user=nobody", "--table", "item"),
        "cannot connect to the source");
  }

  @Test
  void unwritableOutput() throws Exception {
    Path file = Files.writeString(out.resolve("a-file"), "not a folder");
    Amber.Result result =
        Amber.materialise(
            "--source",
            url,
            "--table",
            "item",
            "--dataset",
            "items",
            "--output",
            file.resolve("below").toUri().toString());
    assertNotEquals(0, result.exitCode());
    assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
    assertTrue(result.stderr().contains("cannot write to the output"), result.stderr());
    assertEquals(0, Amber.manifestsUnder(out).size());
  }

  /**
   * Every command reaches gs:// through Beam's GCS file system, which Beam only registers once it
   * has options: each must reach the endpoint given by --gcs-endpoint (here a local server that
   * refuses everything) and say so in one line, rather than stop at "no filesystem found for scheme
   * gs" — materialise probing its output, verify and diff reading manifests.
   */
  @Test
  void gcsIsReachedAtTheEndpointTheOptionsName() throws Exception {
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer gcs = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gcs.createContext(
        "/",
        exchange -> {
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
          byte[] body =
              ("{\"error\":{\"code\":403,\"message\":\"amber-test refuses\","
                      + "\"errors\":[{\"reason\":\"forbidden\",\"message\":\"amber-test refuses\"}]}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
          exchange.sendResponseHeaders(403, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    gcs.start();
    List<String> storage =
        List.of(
            "--gcs-endpoint=http://127.0.0.1:" + gcs.getAddress().getPort() + "/storage/v1/",
            "--project=test",
            "--credential-factory-class="
                + "org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory");
    String manifest = "gs://amber-bucket/prefix/items/sha256-0/manifest.json";
    try {
      List<String> materialise =
          new ArrayList<>(
              List.of(
                  "--source",
                  url,
                  "--table",
                  "item",
                  "--dataset",
                  "items",
                  "--output",
                  "gs://amber-bucket/prefix"));
      materialise.addAll(storage);
      assertRefusedByTheEndpoint(
          Amber.materialise(materialise.toArray(String[]::new)),
          "amber: cannot write to the output gs://amber-bucket/prefix/items/",
          requests);

      List<String> verify = new ArrayList<>(List.of("verify", manifest));
      verify.addAll(storage);
      assertRefusedByTheEndpoint(Amber.run(verify.toArray(String[]::new)), "amber: ", requests);

      List<String> diff = new ArrayList<>(List.of("diff", manifest, manifest));
      diff.addAll(storage);
      assertRefusedByTheEndpoint(Amber.run(diff.toArray(String[]::new)), "amber: ", requests);
    } finally {
      gcs.stop(0);
    }
  }

  private static void assertRefusedByTheEndpoint(
      Amber.Result result, String start, List<String> requests) {
    assertNotEquals(0, result.exitCode());
    String stderr = result.stderr().strip();
    assertEquals(1, stderr.lines().count(), stderr);
    assertTrue(stderr.startsWith(start), stderr);
    assertFalse(stderr.contains("No filesystem found"), stderr);
    assertTrue(
        requests.stream().anyMatch(r -> r.contains("/storage/v1/b/amber-bucket/o")),
        "the endpoint was asked: " + requests);
    requests.clear();
  }

  @Test
  void invalidDatasetNameAndMissingOptions() throws Exception {
    assertFailsCleanly(
        Amber.materialise(
            "--source",
            url,
            "--table",
            "item",
            "--dataset",
            "Bad Name!",
            "--output",
            out.toUri().toString()),
        "invalid dataset name");
    assertFailsCleanly(build("--source", url), "give exactly one of --query and --table");
    assertFailsCleanly(
        Amber.materialise(
            "--source",
            url,
            "--table",
            "item",
            "--dataset",
            "items",
            "--output",
            out.toUri().toString(),
            "--formats",
            "xlsx"),
        "unknown format 'xlsx'");
    assertFailsCleanly(
        build("--source", url, "--table", "item", "--formats", "parquet"),
        "--formats is given more than once");
  }

  @Test
  void aDurationThatIsNotIsoSaysWhatItTakes() throws Exception {
    assertFailsCleanly(
        build("--source", url, "--table", "item", "--max-snapshot-hold", "6h"),
        "--max-snapshot-hold takes an ISO-8601 duration such as PT6H or PT30M, got '6h'");
  }

  @Test
  void aMultiDimensionalArraySaysWhatToDo() throws Exception {
    assertFailsCleanly(
        build("--source", url, "--query", "SELECT 1 AS id, ARRAY[[1,2],[3,4]] AS grid"),
        "multi-dimensional arrays are not supported");
  }
}
