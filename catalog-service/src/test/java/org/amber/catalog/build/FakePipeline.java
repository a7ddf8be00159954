package org.amber.catalog.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.amber.artifacts.protocol.BuildEvent;
import org.amber.artifacts.protocol.BuildSummary;
import org.amber.artifacts.protocol.ClassArchiveMarker;
import org.amber.artifacts.protocol.ProtocolLines;

/**
 * A stand-in for the pipelines jar's {@code materialise}, only for testing how the launcher handles
 * a child process: what it does is chosen by {@code --table=fake.<behaviour>}.
 */
public final class FakePipeline {
  private FakePipeline() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        options.put(arg.substring(2, eq), arg.substring(eq + 1));
      }
    }
    String behaviour = options.get("table").substring("fake.".length());
    System.err.println("a log line that is not JSON");
    System.err.println(ProtocolLines.write(new BuildEvent.Started(options.get("build-id"), 4)));
    switch (behaviour) {
      case "success":
        System.err.println(ProtocolLines.write(new BuildEvent.Progress(4, 4, 10, 99)));
        System.out.println("some other stdout line");
        System.out.println(
            ProtocolLines.write(
                new BuildSummary(
                    "d",
                    "sha256-00",
                    "file:///m",
                    "sha256:" + "0".repeat(64),
                    10,
                    99,
                    "file:///b",
                    null)));
        // As the real build does once it has committed (pipelines' ClassArchive).
        String marker = System.getProperty(ClassArchiveMarker.PROPERTY);
        if (marker != null) {
          java.nio.file.Files.write(java.nio.file.Path.of(marker), new byte[0]);
        }
        System.exit(0);
        break;
      case "large":
        // Size from the environment, so a test chooses it without a new option.
        System.out.println(
            ProtocolLines.write(
                LargeVersion.write(
                    options.get("output"),
                    options.get("dataset"),
                    options.get("build-id"),
                    Integer.parseInt(System.getenv().getOrDefault("AMBER_FAKE_SHARDS", "8")),
                    Long.parseLong(
                        System.getenv().getOrDefault("AMBER_FAKE_SHARD_BYTES", "1048576")))));
        System.exit(0);
        break;
      case "fail":
        System.err.println(
            ProtocolLines.write(new BuildEvent.Error("column \"nope\" does not exist")));
        System.exit(1);
        break;
      case "crash":
        System.err.println("Exception in thread main: something broke badly");
        System.exit(2);
        break;
      case "oom":
        System.exit(3);
        break;
      case "no-summary":
        System.exit(0);
        break;
      case "hang":
        Path root = Path.of(java.net.URI.create(options.get("output")));
        Path staging =
            root.resolve(options.get("dataset"))
                .resolve(".staging")
                .resolve(options.get("build-id"));
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("part-00000.tmp"), "half written");
        System.err.println(ProtocolLines.write(new BuildEvent.Progress(1, 4, 1, 1)));
        Thread.sleep(600_000);
        break;
      default:
        throw new IllegalArgumentException(behaviour);
    }
  }
}
