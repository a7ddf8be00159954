package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.amber.pipelines.testing.Amber;
import org.amber.pipelines.testing.AmberProcess;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code amber diff} of two versions of a million-row table, as its own process in a 256 MB heap:
 * the counts are exact and the heap the garbage collector leaves stays small (the merge streams, it
 * never holds a shard).
 */
class DiffMemoryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern AFTER_GC = Pattern.compile("\\d+M->(\\d+)M\\(\\d+M\\)");

  @TempDir Path out;

  private Path build(String url, int partitions) throws Exception {
    Amber.Result result =
        Amber.materialise(
            "--source",
            url,
            "--table",
            "big",
            "--dataset",
            "big",
            "--partitions",
            String.valueOf(partitions),
            "--output",
            out.toUri().toString());
    assertEquals(0, result.exitCode(), result.stderr());
    return result.manifestPath();
  }

  @Test
  void aMillionRowsAreCountedExactlyInAFlatHeap() throws Exception {
    String url = TestPostgres.freshDatabase("diffmemory");
    TestPostgres.execute(
        url,
        "CREATE TABLE big (id bigint PRIMARY KEY, name text, qty int, price numeric(12,2))",
        "INSERT INTO big SELECT g, md5(g::text), g % 1000, g / 100.0 FROM generate_series(1, 1000000) g");
    Path v1 = build(url, 4);
    TestPostgres.execute(
        url,
        "DELETE FROM big WHERE id % 2000 = 1", // 500 removed
        "UPDATE big SET qty = -1 WHERE id % 1000 = 7", // 1000 changed
        "INSERT INTO big SELECT g, 'new', 0, 0 FROM generate_series(2000001, 2000700) g"); // 700
    // added
    Path v2 = build(url, 7);

    Path stdout = out.resolve("diff.out");
    Path stderr = out.resolve("diff.err");
    Path gcLog = out.resolve("gc.log");
    ProcessBuilder diff =
        AmberProcess.amber(stdout, stderr, "diff", v1.toString(), v2.toString(), "--json");
    diff.environment().put("AMBER_JAVA_OPTS", "-Xmx256m -Xlog:gc:file=" + gcLog);
    long started = System.nanoTime();
    Process process = AmberProcess.start(diff);
    assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the diff did not end");
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(0, process.exitValue(), Files.readString(stderr));

    JsonNode result = JSON.readTree(Files.readString(stdout));
    assertEquals(700, result.get("added").asLong());
    assertEquals(500, result.get("removed").asLong());
    assertEquals(1000, result.get("changed").asLong());

    List<Integer> afterGc = new ArrayList<>();
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = AFTER_GC.matcher(line);
      if (m.find()) {
        afterGc.add(Integer.parseInt(m.group(1)));
      }
    }
    assertTrue(afterGc.size() > 3, "the diff ran long enough to collect: " + afterGc);
    int peak = afterGc.stream().mapToInt(Integer::intValue).max().orElseThrow();
    System.out.printf(
        "amber diff of 2 x 1M rows: %d ms, %d collections, live heap after GC at most %d MB%n",
        millis, afterGc.size(), peak);
    assertTrue(peak < 96, "live heap after GC reached " + peak + " MB: " + afterGc);
  }
}
