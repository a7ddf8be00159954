package org.amber.pipelines.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Accepts the command line as cli.md writes it ({@code --partition-column id}) and hands Beam's
 * option parser the form it takes ({@code --partitionColumn=id}).
 */
final class BeamArguments {
  private BeamArguments() {}

  /**
   * Sets up Beam's file systems for a command that reads or writes artifacts without running a
   * pipeline ({@code verify}, {@code diff}): Beam registers {@code gs://} only once it has options,
   * and these say how to reach it ({@code --gcs-endpoint}, {@code --project}, credentials).
   */
  static void registerFileSystems(List<String> beamOptions) {
    FileSystems.setDefaultPipelineOptions(
        PipelineOptionsFactory.fromArgs(normalise(beamOptions)).create());
  }

  static String[] normalise(List<String> args) {
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException(
            "unexpected argument '" + arg + "' (options look like --name value)");
      }
      int equals = arg.indexOf('=');
      String name = camelCase(equals < 0 ? arg.substring(2) : arg.substring(2, equals));
      if (!seen.add(name)) {
        throw new IllegalArgumentException(
            "--"
                + (equals < 0 ? arg.substring(2) : arg.substring(2, equals))
                + " is given more than once");
      }
      if (equals >= 0) {
        out.add("--" + name + arg.substring(equals));
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        out.add("--" + name + "=" + args.get(++i));
      } else {
        out.add("--" + name);
      }
    }
    return out.toArray(String[]::new);
  }

  /** {@code partitionColumn} → {@code partition-column}; {@link #camelCase} turns it back. */
  static String kebabCase(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static String camelCase(String kebab) {
    StringBuilder out = new StringBuilder(kebab.length());
    boolean upper = false;
    for (char c : kebab.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }
}
