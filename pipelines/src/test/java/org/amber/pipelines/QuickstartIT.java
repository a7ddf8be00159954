package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.amber.artifacts.manifest.OneFile;
import org.amber.pipelines.testing.Amber;
import org.amber.pipelines.testing.AmberProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, as a user runs it: a verified demo dataset in all three formats. */
class QuickstartIT {
  @TempDir Path data;

  @Test
  void quickstartEndsWithAVerifiedDatasetInAllThreeFormats() throws Exception {
    File stdout = data.resolve("quickstart.out").toFile();
    File stderr = data.resolve("quickstart.err").toFile();
    ProcessBuilder builder = AmberProcess.script("quickstart", stdout, stderr);
    builder.environment().put("AMBER_DATA", data.resolve("amber-data").toString());
    builder.environment().put("AMBER_DEMO_ROWS", "20000");
    Process quickstart = builder.start();
    assertTrue(quickstart.waitFor(5, TimeUnit.MINUTES), "quickstart finished");
    String out = Files.readString(stdout.toPath());
    assertEquals(0, quickstart.exitValue(), out + Files.readString(stderr.toPath()));
    assertTrue(out.contains("ok: file://"), out);
    Path dataset = data.resolve("amber-data/demo-assays");
    assertEquals(1, Amber.manifestsUnder(dataset).size());
    Path address = Amber.manifestsUnder(dataset).get(0).getParent();
    for (String folder : new String[] {"parquet", "csv", "ndjson"}) {
      try (Stream<Path> files = Files.list(address.resolve(folder))) {
        assertEquals(
            4, files.filter(f -> f.getFileName().toString().startsWith("part-")).count(), folder);
      }
    }
    // Beside the Parquet shards, the merged footer their one-file download ends with.
    assertTrue(Files.isRegularFile(address.resolve(OneFile.FooterFile.PATH)));
  }
}
