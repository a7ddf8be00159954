package org.amber.pipelines.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the packaged command line ({@code scripts/amber}) as a separate process. */
public final class AmberProcess {
  /** The repository root: the pipelines module's parent. */
  public static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  private AmberProcess() {}

  public static ProcessBuilder amber(Path stdout, Path stderr, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("scripts/amber").toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
  }

  public static ProcessBuilder script(String name, File stdout, File stderr) {
    return new ProcessBuilder(ROOT.resolve("scripts/" + name).toString())
        .redirectOutput(stdout)
        .redirectError(stderr);
  }

  public static Process start(ProcessBuilder builder) throws IOException {
    return builder.start();
  }
}
