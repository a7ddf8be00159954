package org.amber.pipelines.materialise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.pipelines.testing.AmberProcess;
import org.amber.transforms.source.SourcePassword;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code templates/materialise/metadata.json} and {@link MaterialiseOptions} say the same: every
 * option of the interface is a parameter and every parameter an option, optional exactly when the
 * option is not required, each regex accepts the parameter's own example (the helpText's "(Example:
 * …)", as Google's templates write it), and none of Dataflow's own options is listed (the launcher
 * sets those from the run command).
 */
class FlexTemplateMetadataTest {
  static final Path METADATA = AmberProcess.ROOT.resolve("templates/materialise/metadata.json");
  static final Pattern EXAMPLE = Pattern.compile(" \\(Example: (.+)\\)$");
  static JsonNode metadata;
  static Map<String, JsonNode> parameters;

  @BeforeAll
  static void read() throws Exception {
    metadata = new ObjectMapper().readTree(Files.readString(METADATA));
    parameters = new LinkedHashMap<>();
    for (JsonNode parameter : metadata.get("parameters")) {
      JsonNode previous = parameters.put(parameter.get("name").asText(), parameter);
      assertEquals(null, previous, "listed twice: " + parameter.get("name"));
    }
  }

  /** The interface's own options (not those it inherits from Beam), by property name. */
  static Map<String, Method> options() {
    Map<String, Method> options = new LinkedHashMap<>();
    for (Method method : MaterialiseOptions.class.getDeclaredMethods()) {
      if (method.getParameterCount() == 0 && method.getName().startsWith("get")) {
        String name = method.getName().substring(3);
        options.put(Character.toLowerCase(name.charAt(0)) + name.substring(1), method);
      }
    }
    return options;
  }

  @Test
  void theTemplateHasANameAndADescription() {
    assertFalse(metadata.path("name").asText().isBlank());
    assertFalse(metadata.path("description").asText().isBlank());
  }

  @Test
  void everyOptionIsAParameterAndEveryParameterAnOption() {
    Set<String> options = new TreeSet<>(options().keySet());
    assertTrue(options.size() >= 15, "the options were found: " + options);
    assertEquals(options, new TreeSet<>(parameters.keySet()));
    // Beam's own description of the interface names the same options.
    PipelineOptionsFactory.register(MaterialiseOptions.class);
    Set<String> described =
        PipelineOptionsFactory.describe(Set.of(MaterialiseOptions.class)).stream()
            .filter(o -> o.getGroup().equals(MaterialiseOptions.class.getName()))
            .map(o -> camelCase(o.getName()))
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(options, described);
  }

  @Test
  void noneOfDataflowsOrBeamsOwnOptionsIsListed() {
    Set<Class<? extends PipelineOptions>> dataflow = Set.of(DataflowPipelineOptions.class);
    Set<String> theirs =
        PipelineOptionsFactory.describe(dataflow).stream()
            .map(o -> camelCase(o.getName()))
            .collect(Collectors.toSet());
    assertTrue(theirs.contains("tempLocation") && theirs.contains("runner"), "Dataflow's options");
    for (String name : parameters.keySet()) {
      assertFalse(theirs.contains(name), name + " is one of Dataflow's own options");
    }
  }

  @Test
  void aParameterIsOptionalExactlyWhenItsOptionIsNotRequired() {
    for (Map.Entry<String, Method> option : options().entrySet()) {
      boolean required = option.getValue().isAnnotationPresent(Validation.Required.class);
      assertEquals(
          !required,
          parameters.get(option.getKey()).get("isOptional").asBoolean(),
          option.getKey());
    }
  }

  @Test
  void everyParameterHasALabelHelpAndAnExampleItsRegexesAccept() {
    for (JsonNode parameter : parameters.values()) {
      String name = parameter.get("name").asText();
      assertFalse(parameter.path("label").asText().isBlank(), name);
      String example = example(parameter);
      for (JsonNode regex : parameter.path("regexes")) {
        Pattern pattern = Pattern.compile(regex.asText());
        assertTrue(regex.asText().startsWith("^") && regex.asText().endsWith("$"), name);
        assertTrue(pattern.matcher(example).matches(), name + ": " + regex + " refuses " + example);
        assertFalse(pattern.matcher("").matches(), name + ": " + regex + " accepts nothing");
      }
    }
  }

  @Test
  void theExamplesAreValuesThePipelineTakes() {
    List<String> args = new ArrayList<>();
    for (JsonNode parameter : parameters.values()) {
      args.add("--" + parameter.get("name").asText() + "=" + example(parameter));
    }
    PipelineOptionsFactory.register(MaterialiseOptions.class);
    MaterialiseOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(MaterialiseOptions.class);
    assertEquals(3, ShardFormat.parseList(options.getFormats()).size());
    Duration.parse(options.getMaxSnapshotHold());
    Duration.parse(options.getStatementTimeout());
    SourcePassword.secretManager(options.getSourcePasswordSecret());
    assertEquals(8, options.getPartitions());
  }

  @Test
  void theSecretRegexIsTheOneThePipelineChecks() {
    String regex = parameters.get("sourcePasswordSecret").get("regexes").get(0).asText();
    assertEquals("^" + SourcePassword.SecretManager.VERSION_NAME.pattern() + "$", regex);
  }

  @Test
  void aRegexRefusesWhatThePipelineWouldRefuse() {
    Pattern dataset = Pattern.compile(parameters.get("dataset").get("regexes").get(0).asText());
    assertFalse(dataset.matcher("Has Spaces").matches());
    Pattern output = Pattern.compile(parameters.get("output").get("regexes").get(0).asText());
    assertFalse(output.matcher("file:///tmp/amber").matches(), "workers cannot write file://");
  }

  /** Beam describes options in snake_case ({@code temp_location}). */
  private static String camelCase(String snake) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  private static String example(JsonNode parameter) {
    var matcher = EXAMPLE.matcher(parameter.path("helpText").asText());
    assertTrue(matcher.find(), parameter.get("name") + " has no (Example: …) in its helpText");
    return matcher.group(1);
  }
}
