package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code materialise --query-file PATH}: a query of any reasonable size without putting it on a
 * command line, where other users can read it and the kernel caps it (128 KiB per argument).
 */
class QueryFileTest {
  @TempDir Path dir;
  static String url;

  @BeforeAll
  static void table() throws Exception {
    url = TestPostgres.freshDatabase("queryfile");
    TestPostgres.execute(
        url,
        "CREATE TABLE item (id int PRIMARY KEY)",
        "INSERT INTO item SELECT g FROM generate_series(1, 5) g");
  }

  @Test
  void aQueryFileBeyondTheArgumentLimitBuilds() throws Exception {
    String text = "Grüße €".repeat(20_000);
    Path query = dir.resolve("query.sql");
    Files.writeString(query, "SELECT id, '" + text + "' AS s FROM item", StandardCharsets.UTF_8);
    assertTrue(Files.size(query) > 128 * 1024);

    Amber.Result result =
        Amber.materialise(
            "--source",
            url,
            "--query-file",
            query.toString(),
            "--dataset",
            "long",
            "--output",
            dir.resolve("out").toUri().toString(),
            "--formats",
            "csv.gz");

    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals(5, result.summary().get("rows").asLong());
  }

  @Test
  void badQueryFilesGetOneReadableLine() throws Exception {
    Path tooLarge = dir.resolve("large.sql");
    Files.writeString(tooLarge, "SELECT '" + "x".repeat(1024 * 1024) + "'");
    Path notUtf8 = dir.resolve("latin1.sql");
    Files.write(notUtf8, "SELECT 'Gr\u00fc\u00dfe'".getBytes(StandardCharsets.ISO_8859_1));
    Path query = dir.resolve("ok.sql");
    Files.writeString(query, "SELECT 1 AS n");

    assertFailsCleanly(run("--query-file", tooLarge.toString()), "larger than 1048576 bytes");
    assertFailsCleanly(run("--query-file", notUtf8.toString()), "is not UTF-8");
    assertFailsCleanly(run("--query-file", dir.resolve("missing.sql").toString()), "no such file");
    assertFailsCleanly(run("--query-file", query.toString(), "--query", "SELECT 2"), "not both");
  }

  private Amber.Result run(String... args) {
    String[] all = new String[args.length + 6];
    System.arraycopy(
        new String[] {
          "--source", url, "--dataset", "bad", "--output", dir.resolve("bad").toUri().toString()
        },
        0,
        all,
        0,
        6);
    System.arraycopy(args, 0, all, 6, args.length);
    return Amber.materialise(all);
  }

  private void assertFailsCleanly(Amber.Result result, String expected) throws Exception {
    assertNotEquals(0, result.exitCode());
    String stderr = result.stderr().strip();
    assertEquals(1, stderr.lines().count(), stderr);
    assertTrue(stderr.startsWith("amber: ") && stderr.contains(expected), stderr);
    assertFalse(stderr.contains("Exception"), stderr);
    assertEquals(0, Amber.manifestsUnder(dir.resolve("bad")).size());
  }
}
