package org.amber.pipelines.materialise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * In the Flex Template's launcher image {@code main} submits to Dataflow even when the launcher
 * names no runner, and never otherwise changes what it was given.
 */
class LauncherArgumentsTest {
  static final Map<String, String> LAUNCHER =
      Map.of("FLEX_TEMPLATE_JAVA_MAIN_CLASS", MaterialisePipeline.class.getName());

  @Test
  void inTheLauncherImageTheRunnerIsDataflowUnlessGiven() {
    String[] args = {"--source=jdbc:postgresql://h/db", "--dataset=d"};
    String[] launched = MaterialisePipeline.launcherArguments(args, LAUNCHER);
    assertArrayEquals(
        new String[] {"--source=jdbc:postgresql://h/db", "--dataset=d", "--runner=DataflowRunner"},
        launched);
    PipelineOptionsFactory.register(MaterialiseOptions.class);
    assertTrue(
        MaterialisePipeline.submitsOnly(
            PipelineOptionsFactory.fromArgs(launched).as(MaterialiseOptions.class)));
    String[] given = {"--dataset=d", "--runner=DirectRunner"};
    assertArrayEquals(given, MaterialisePipeline.launcherArguments(given, LAUNCHER));
  }

  @Test
  void elsewhereTheArgumentsAreLeftAsTheyAre() {
    String[] args = {"--dataset=d"};
    assertArrayEquals(args, MaterialisePipeline.launcherArguments(args, Map.of()));
    assertArrayEquals(
        args,
        MaterialisePipeline.launcherArguments(
            args, Map.of("FLEX_TEMPLATE_JAVA_MAIN_CLASS", "com.example.Other")));
  }
}
