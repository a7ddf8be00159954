package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.amber.pipelines.materialise.MaterialiseOptions;
import org.amber.pipelines.testing.Amber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command answers --help with a usage line, its options in kebab-case with defaults in words,
 * and an example; a misspelt option is answered with the nearest real one.
 */
class CliHelpTest {
  @TempDir Path out;

  /** MaterialiseOptions' own properties, camelCase, read from the interface. */
  private static List<String> materialiseProperties() {
    List<String> names = new ArrayList<>();
    for (Method m : MaterialiseOptions.class.getDeclaredMethods()) {
      if (m.getParameterCount() == 0 && m.getName().startsWith("get")) {
        names.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
      }
    }
    assertTrue(names.size() >= 17, "found the options: " + names);
    return names;
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
  }

  private static void assertHelp(Amber.Result result, String usage) {
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(result.stdout().startsWith("Usage: " + usage), result.stdout());
    assertTrue(result.stdout().contains("Example"), "an example: " + result.stdout());
    assertEquals("", result.stderr());
  }

  @Test
  void materialiseHelpIsRenderedFromTheOptionsInKebabCase() {
    Amber.Result result = Amber.run("materialise", "--help");
    assertHelp(result, "amber materialise --source JDBC_URL");
    String help = result.stdout();
    for (String property : materialiseProperties()) {
      String option = "--" + kebab(property);
      Matcher row =
          Pattern.compile("(?m)^  " + Pattern.quote(option) + "\\b[\\s\\S]*?(?=^  --|^\\S|\\z)")
              .matcher(help);
      assertTrue(row.find(), option + " listed in:\n" + help);
      assertTrue(
          row.group().contains("Default:") || row.group().contains("Required."),
          option + " says its default in words: " + row.group());
      if (!property.equals(kebab(property))) {
        assertFalse(help.contains(property), "no camelCase name " + property);
      }
    }
    assertTrue(help.contains("--query-file FILE"), "the CLI's own --query-file is listed");
    assertTrue(help.contains("--help-beam"), help);
    for (String heading :
        List.of("What to read:", "What to write:", "Partitioning:", "Snapshot:", "Progress:")) {
      assertTrue(help.contains("\n" + heading + "\n"), heading);
    }
    assertFalse(help.contains("Other options:"), "every option has a group");
    assertFalse(
        Pattern.compile("\\b(org|java|com)\\.[a-z]+\\.").matcher(help).find(),
        "no Java class names");
    for (String beamOnly :
        List.of(
            "--gbek",
            "--optionsId",
            "--runner=",
            "BuildIds",
            "CurrentDirectoryOutput",
            "<String>")) {
      assertFalse(help.contains(beamOnly), beamOnly + " is not in materialise --help");
    }
  }

  @Test
  void helpBeamListsBeamsOwnOptions() {
    Amber.Result result = Amber.run("materialise", "--help-beam");
    assertEquals(0, result.exitCode(), result.stderr());
    for (String option :
        List.of(
            "--runner=", "--tempLocation=", "--project=", "--region=", "--targetParallelism=")) {
      assertTrue(result.stdout().contains(option), option + " in --help-beam");
    }
    assertFalse(result.stdout().contains("--partitionColumn"), "Amber's options are in --help");
  }

  @Test
  void aMisspeltOptionGetsTheNearestRealOneOnOneLine() {
    for (String typo : List.of("--partition-colum", "--partitionColum")) {
      Amber.Result result =
          Amber.run("materialise", "--source", "jdbc:postgresql://127.0.0.1:1/db", typo, "id");
      assertNotEquals(0, result.exitCode());
      assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
      assertEquals(
          "amber: unknown option " + typo + "; did you mean --partition-column?",
          result.stderr().strip());
    }
    Amber.Result beamTypo = Amber.run("materialise", "--temp-locaton", "/tmp/x");
    assertTrue(beamTypo.stderr().contains("did you mean --temp-location?"), beamTypo.stderr());
    Amber.Result nonsense = Amber.run("materialise", "--zzzzzz", "1");
    assertNotEquals(0, nonsense.exitCode());
    assertEquals(
        "amber: unknown option --zzzzzz; amber materialise --help lists the options",
        nonsense.stderr().strip());
  }

  @Test
  void beamsOwnOptionsStillPassThrough() {
    // The build fails only at the unreachable source: every option before that was accepted.
    Amber.Result result =
        Amber.materialise(
            "--source",
            "jdbc:postgresql://127.0.0.1:1/db?user=nobody",
            "--table",
            "item",
            "--dataset",
            "items",
            "--output",
            out.toUri().toString(),
            "--runner",
            "DirectRunner",
            "--target-parallelism",
            "2",
            "--tempLocation=" + out.resolve("tmp"),
            "--project",
            "p",
            "--region",
            "europe-west1");
    assertNotEquals(0, result.exitCode());
    assertFalse(result.stderr().contains("unknown option"), result.stderr());
    assertTrue(result.stderr().contains("cannot connect to the source"), result.stderr());
  }

  @Test
  void everyOtherCommandAnswersHelp() {
    assertHelp(Amber.run("verify", "--help"), "amber verify");
    assertHelp(Amber.run("diff", "--help"), "amber diff");
    assertHelp(Amber.run("demo-db", "--help"), "amber demo-db");
    Amber.Result amber = Amber.run("--help");
    assertHelp(amber, "amber");
    for (String command : List.of("materialise", "verify", "diff", "demo-db")) {
      assertTrue(
          Pattern.compile("(?m)^  " + command + "\\b.*\\S").matcher(amber.stdout()).find(),
          command + " listed with a line of its own:\n" + amber.stdout());
    }
    assertTrue(Amber.run("demo-db", "--help").stdout().contains("--rows=N"));
  }

  @Test
  void picocliCommandsAnswerAMisspeltOptionOrCommandOnOneLine() {
    Amber.Result demo = Amber.run("demo-db", "--prot", "1");
    assertEquals(2, demo.exitCode());
    assertEquals("amber: unknown option --prot; did you mean --port?", demo.stderr().strip());
    Amber.Result command = Amber.run("materialse");
    assertEquals(2, command.exitCode());
    assertEquals(
        "amber: unknown command 'materialse'; did you mean materialise?", command.stderr().strip());
    Amber.Result missing = Amber.run("verify");
    assertEquals(2, missing.exitCode());
    assertEquals(1, missing.stderr().strip().lines().count(), missing.stderr());
  }
}
