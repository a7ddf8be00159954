package org.amber.pipelines.cli;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.amber.commandline.NearestOption;
import org.amber.pipelines.materialise.MaterialiseOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine;

/**
 * The options {@code amber materialise} accepts: its own ({@link MaterialiseOptions}), every option
 * of the Beam interfaces on the class path ({@code --runner}, {@code --project}, {@code
 * --target-parallelism}, …) and the few the command line handles itself. Beam would reject an
 * unknown one too, but in its own words ("Class interface … missing a property named …"); this
 * answers with the option the person most likely meant.
 */
final class KnownOptions {
  /** Options the command line handles before Beam sees the arguments, in kebab-case. */
  static final List<String> CLI_ONLY = List.of("help", "help-beam", "query-file");

  private KnownOptions() {}

  /**
   * Rejects the first option that is neither Amber's nor Beam's, as one line.
   *
   * @param args the arguments as given ({@code --partition-column id}, {@code --runner=X}, …)
   */
  static void check(CommandLine command, List<String> args) {
    Set<String> known = camelCaseNames();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        continue;
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
      if (!known.contains(BeamArguments.camelCase(name))) {
        throw new CommandLine.ParameterException(command, unknown(name, known));
      }
    }
  }

  private static String unknown(String name, Set<String> known) {
    List<String> kebab = new ArrayList<>();
    known.forEach(k -> kebab.add(BeamArguments.kebabCase(k)));
    String typed = BeamArguments.kebabCase(BeamArguments.camelCase(name));
    return NearestOption.among(typed, kebab)
        .map(n -> "unknown option --" + name + "; did you mean --" + n + "?")
        .orElse("unknown option --" + name + "; amber materialise --help lists the options");
  }

  /** Every accepted option in Beam's camelCase form. */
  static Set<String> camelCaseNames() {
    OptionsRegistry.all();
    Set<String> names = new TreeSet<>();
    for (Class<? extends PipelineOptions> options : PipelineOptionsFactory.getRegisteredOptions()) {
      for (Method getter : options.getMethods()) {
        propertyName(getter).ifPresent(names::add);
      }
    }
    CLI_ONLY.forEach(o -> names.add(BeamArguments.camelCase(o)));
    return names;
  }

  /** The Beam property a getter stands for ({@code getPartitionColumn} → partitionColumn). */
  static Optional<String> propertyName(Method method) {
    if (method.getParameterCount() != 0 || method.getDeclaringClass() == Object.class) {
      return Optional.empty();
    }
    String name = method.getName();
    String rest =
        name.startsWith("get") ? name.substring(3) : name.startsWith("is") ? name.substring(2) : "";
    if (rest.isEmpty() || !Character.isUpperCase(rest.charAt(0))) {
      return Optional.empty();
    }
    return Optional.of(Character.toLowerCase(rest.charAt(0)) + rest.substring(1));
  }
}
