package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.amber.pipelines.testing.AmberProcess;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Determinism as the catalog sees it: every build is its own JVM, so nothing that varies from one
 * process to the next (identity hash codes, thread timing) may reach the bytes. Three processes
 * build the same rows in every format; all three must give one digest.
 */
class DeterminismAcrossProcessesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path out;

  @Test
  void separateProcessesGiveOneDigest() throws Exception {
    String url = TestPostgres.freshDatabase("determinism_processes");
    TestPostgres.execute(
        url,
        "CREATE TABLE sample (id int PRIMARY KEY, label text, weight float8, amount numeric(9,2), day date,"
            + " tags text[], note text)",
        "INSERT INTO sample SELECT g, 'label ' || (g % 13), g / 3.0, g / 7.0, date '2024-01-01' + g % 50,"
            + " ARRAY['t' || g % 4], CASE WHEN g % 3 = 0 THEN NULL ELSE 'n' END FROM generate_series(1, 20000) g");
    String digest = null;
    for (int run = 0; run < 3; run++) {
      Path stdout = out.resolve("run" + run + ".out");
      Process build =
          AmberProcess.start(
              AmberProcess.amber(
                  stdout,
                  out.resolve("run" + run + ".err"),
                  "materialise",
                  "--source",
                  url,
                  "--table",
                  "sample",
                  "--dataset",
                  "sample",
                  "--partitions",
                  "2",
                  "--formats",
                  "parquet,csv.gz,ndjson.gz",
                  "--progress",
                  "none",
                  "--output",
                  out.resolve("root" + run).toUri().toString()));
      assertTrue(build.waitFor(3, TimeUnit.MINUTES));
      assertEquals(0, build.exitValue(), Files.readString(out.resolve("run" + run + ".err")));
      List<String> lines = Files.readAllLines(stdout);
      JsonNode summary = JSON.readTree(lines.get(lines.size() - 1));
      if (digest == null) {
        digest = summary.get("content_digest").asText();
      }
      assertEquals(digest, summary.get("content_digest").asText(), "run " + run);
    }
  }
}
