package org.amber.pipelines.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.amber.pipelines.materialise.MaterialiseOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * {@code amber materialise --help}, rendered from {@link MaterialiseOptions} itself (each getter's
 * {@code @Description}, {@code @Default} and {@code @Validation.Required}) so it cannot drift from
 * the options: an option added there appears here, under "Other options" until it is given a group
 * below. {@code --help-beam} shows Beam's own options as Beam prints them.
 */
final class OptionsHelp {
  private static final int WIDTH = AmberCli.HELP_WIDTH;
  private static final int NAME_COLUMN = 37;

  /**
   * Headings, and under each the options in the order a person looks for them, with value labels.
   */
  private static final Map<String, Map<String, String>> GROUPS = new LinkedHashMap<>();

  /** What the command line itself handles (see {@link KnownOptions#CLI_ONLY}). */
  private static final Map<String, String> CLI_ONLY_DESCRIPTIONS =
      Map.of(
          "query-file", "Read the query from FILE, or from standard input with -. Default: none.",
          "help", "Show this help and exit.",
          "help-beam",
              "List Beam's own pipeline options (--runner, --project, --region, …) and exit.");

  static {
    GROUPS.put(
        "What to read",
        labels(
            "source",
            "JDBC_URL",
            "source-password-secret",
            "SECRET_VERSION",
            "query",
            "SQL",
            "query-file",
            "FILE",
            "table",
            "NAME",
            "statement-timeout",
            "DURATION"));
    GROUPS.put(
        "What to write",
        labels(
            "dataset",
            "NAME",
            "output",
            "URI",
            "formats",
            "LIST",
            "parquet-compression",
            "zstd|snappy",
            "gzip-level",
            "1-9",
            "build-id",
            "ID",
            "compare-with",
            "MANIFEST_URI"));
    GROUPS.put(
        "Partitioning",
        labels("partition-column", "COLUMN", "partitions", "N", "max-connections", "N"));
    GROUPS.put(
        "Snapshot",
        labels(
            "snapshot",
            "exported|single|none",
            "snapshot-id",
            "ID",
            "max-snapshot-hold",
            "DURATION"));
    GROUPS.put("Progress", labels("progress", "auto|plain|json|none"));
    GROUPS.put("Help", labels("help", "", "help-beam", ""));
  }

  private OptionsHelp() {}

  /**
   * The help asked for, if any: {@code --help-beam} → Beam's options; {@code -h}, {@code --help}
   * (or {@code --help=…}, which Beam's own parser would answer by exiting the JVM) → ours.
   */
  static Optional<String> requested(List<String> args) {
    if (args.contains("--help-beam")) {
      return Optional.of(beam());
    }
    boolean help =
        args.stream()
            .anyMatch(a -> a.equals("-h") || a.equals("--help") || a.startsWith("--help="));
    return help ? Optional.of(materialise()) : Optional.empty();
  }

  private static String materialise() {
    Map<String, String> descriptions = describe(MaterialiseOptions.class);
    descriptions.putAll(CLI_ONLY_DESCRIPTIONS);
    StringBuilder out = new StringBuilder();
    out.append(
            "Usage: amber materialise --source JDBC_URL (--query SQL | --query-file FILE | --table NAME)\n")
        .append("                         --dataset NAME [options]\n\n")
        .append(
            "Builds a dataset version from a query or a table: reads it in one consistent snapshot,\n")
        .append("writes content-addressed files and a manifest, and prints one line of JSON.\n");
    Set<String> shown = new LinkedHashSet<>();
    for (Map.Entry<String, Map<String, String>> group : GROUPS.entrySet()) {
      out.append('\n').append(group.getKey()).append(":\n");
      group
          .getValue()
          .forEach(
              (name, label) -> {
                if (descriptions.containsKey(name)) {
                  row(out, option(name, label), descriptions.get(name));
                  shown.add(name);
                }
              });
    }
    Map<String, String> others = new TreeMap<>(descriptions);
    others.keySet().removeAll(shown);
    if (!others.isEmpty()) {
      out.append("\nOther options:\n");
      others.forEach((name, description) -> row(out, option(name, "VALUE"), description));
    }
    return out.append(
            "\nEvery option may also be written in Beam's camelCase, with = before its value. Beam's own\n"
                + "options (--runner, --project, --region, --temp-location, …) pass through; --help-beam\n"
                + "lists them.\n"
                + "\nExamples:\n"
                + "  amber materialise --source 'jdbc:postgresql://localhost:5432/shop?user=reader' \\\n"
                + "      --table public.orders --dataset orders --formats parquet,csv.gz\n"
                + "  amber materialise --source \"$SHOP_URL\" --query-file orders.sql --dataset orders \\\n"
                + "      --partition-column id --partitions 16 --output gs://my-bucket/amber \\\n"
                + "      --runner DataflowRunner --project my-project --region europe-west1\n")
        .toString();
  }

  /** Beam's own options, each interface once, as Beam prints them. */
  private static String beam() {
    OptionsRegistry.all();
    StringBuilder out =
        new StringBuilder(
            "Beam's own pipeline options; amber materialise passes them through, in kebab-case\n"
                + "(--temp-location gs://b/tmp) or camelCase (--tempLocation=gs://b/tmp).\n\n");
    Set<String> sections = new LinkedHashSet<>();
    for (Class<? extends PipelineOptions> options : PipelineOptionsFactory.getRegisteredOptions()) {
      if (options == MaterialiseOptions.class || options.getSimpleName().contains("Test")) {
        continue;
      }
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      PipelineOptionsFactory.printHelp(
          new PrintStream(text, true, StandardCharsets.UTF_8), options);
      // Beam prints each interface with everything it extends: keep each section only once.
      for (String section : text.toString(StandardCharsets.UTF_8).split("\\R(?=\\S)")) {
        sections.add(section.strip());
      }
    }
    sections.forEach(s -> out.append(s).append("\n\n"));
    return out.toString();
  }

  /** Kebab-case name → description with its default (or "Required.") in words. */
  private static Map<String, String> describe(Class<? extends PipelineOptions> options) {
    Map<String, String> descriptions = new LinkedHashMap<>();
    for (Method getter : options.getDeclaredMethods()) {
      Optional<String> property = KnownOptions.propertyName(getter);
      if (property.isEmpty()) {
        continue;
      }
      Description description = getter.getAnnotation(Description.class);
      String text = description == null ? "" : description.value();
      if (getter.isAnnotationPresent(Validation.Required.class)) {
        text += " Required.";
      } else {
        Optional<String> literal = literalDefault(getter);
        if (literal.isPresent()) {
          text += " Default: " + literal.get() + ".";
        }
      }
      descriptions.put(BeamArguments.kebabCase(property.get()), text.strip());
    }
    return descriptions;
  }

  /** The value of {@code @Default.String("parquet")}, {@code @Default.Integer(8)}, …, if any. */
  private static Optional<String> literalDefault(Method getter) {
    for (Annotation annotation : getter.getAnnotations()) {
      if (annotation.annotationType().getEnclosingClass() != Default.class) {
        continue;
      }
      try {
        Object value = annotation.annotationType().getMethod("value").invoke(annotation);
        // Factories and classes are code, not words: their options say their default themselves.
        if (!(value instanceof Class)) {
          return Optional.of(String.valueOf(value));
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + annotation, e);
      }
    }
    return Optional.empty();
  }

  private static String option(String name, String label) {
    return "--" + name + (label.isEmpty() ? "" : " " + label);
  }

  /**
   * {@code --name LABEL description…}, the description wrapped at spaces only (URLs and durations
   * stay whole) in a column of its own.
   */
  private static void row(StringBuilder out, String option, String description) {
    String name = "  " + option;
    String indent = " ".repeat(NAME_COLUMN);
    out.append(name)
        .append(
            name.length() < NAME_COLUMN ? " ".repeat(NAME_COLUMN - name.length()) : "\n" + indent);
    int column = NAME_COLUMN;
    boolean first = true;
    for (String word : description.split("\\s+")) {
      if (!first && column + 1 + word.length() > WIDTH) {
        out.append('\n').append(indent);
        column = NAME_COLUMN;
      } else if (!first) {
        out.append(' ');
        column++;
      }
      out.append(word);
      column += word.length();
      first = false;
    }
    out.append('\n');
  }

  private static Map<String, String> labels(String... nameThenLabel) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < nameThenLabel.length; i += 2) {
      labels.put(nameThenLabel[i], nameThenLabel[i + 1]);
    }
    return labels;
  }
}
