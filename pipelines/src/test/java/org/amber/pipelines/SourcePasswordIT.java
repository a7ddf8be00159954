package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.amber.pipelines.testing.AmberProcess;
import org.amber.pipelines.testing.PasswordRole;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command line against a role that can log in only with its password: the password
 * from {@code AMBER_SOURCE_PASSWORD} is looked up by the launcher and by every partition reader
 * (the direct runner's workers, in the same process), now that the job carries only a reference to
 * it; without it the build fails in one line.
 */
class SourcePasswordIT {
  static final String PASSWORD = "Pw-7d2b-env only";
  static String roleUrl;
  @TempDir Path out;

  @BeforeAll
  static void passwordProtectedSource() throws Exception {
    roleUrl =
        PasswordRole.itemsSource(
            "source_password_it", "env_reader_" + ProcessHandle.current().pid(), PASSWORD);
  }

  private Process materialise(String password, String name) throws Exception {
    ProcessBuilder builder = PasswordRole.itemsBuild(out, roleUrl, name);
    if (password != null) {
      builder.environment().put("AMBER_SOURCE_PASSWORD", password);
    }
    Process process = AmberProcess.start(builder);
    assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the build ended");
    return process;
  }

  @Test
  void aBuildReadsEveryPartitionWithThePasswordFromTheEnvironment() throws Exception {
    Process build = materialise(PASSWORD, "with");
    String stderr = Files.readString(out.resolve("with.err"));
    assertEquals(0, build.exitValue(), stderr);
    List<String> lines = Files.readAllLines(out.resolve("with.out"));
    JsonNode summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertEquals(1000, summary.get("rows").asLong());
    JsonNode record =
        new ObjectMapper()
            .readTree(
                Files.readString(Path.of(java.net.URI.create(summary.get("build").asText()))));
    assertEquals(4, record.get("partition_plan").size(), "four readers connected");
    assertFalse(record.toString().contains(PASSWORD), "no password in the build record");
  }

  @Test
  void withoutThePasswordTheBuildFailsInOneLine() throws Exception {
    Process build = materialise(null, "without");
    assertNotEquals(0, build.exitValue());
    String stderr = Files.readString(out.resolve("without.err")).strip();
    assertEquals(1, stderr.lines().count(), stderr);
    assertTrue(stderr.startsWith("amber: "), stderr);
    assertTrue(stderr.contains("password"), stderr);
  }
}
