package org.amber.pipelines.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.amber.pipelines.cli.AmberCli;

/**
 * Runs the {@code amber} command line in this JVM, as a user would, and captures what it prints.
 */
public final class Amber {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Amber() {}

  /** The outcome of one command. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** The JSON summary: the last line of stdout. */
    public JsonNode summary() throws IOException {
      String[] lines = stdout.strip().split("\n");
      return JSON.readTree(lines[lines.length - 1]);
    }

    /** The manifest's path on disk, from the summary. */
    public Path manifestPath() throws IOException {
      return Path.of(java.net.URI.create(summary().get("manifest").asText()));
    }
  }

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = AmberCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs {@code materialise} with quiet progress and the given arguments. */
  public static Result materialise(String... args) {
    List<String> all = new ArrayList<>(List.of("materialise", "--progress", "none"));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  /** Every {@code manifest.json} below a folder. */
  public static List<Path> manifestsUnder(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().equals("manifest.json")).toList();
    }
  }

  /** Every regular file below a folder. */
  public static List<Path> filesUnder(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
