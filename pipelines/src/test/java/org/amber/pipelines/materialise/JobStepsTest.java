package org.amber.pipelines.materialise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.amber.testsupport.TestPostgres;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.CrashingRunner;
import org.apache.beam.sdk.util.construction.PTransformTranslation;
import org.apache.beam.sdk.util.construction.PipelineTranslation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a job does after its partitions are read is in the job itself, so that a job whose launcher
 * does not wait for it (Dataflow) still commits, and counts its changes against an earlier version.
 * The steps' behaviour is tested through the CLI (DiffTest); this checks they are in the graph a
 * runner is given, after the commit they depend on.
 */
class JobStepsTest {
  static String url;
  @TempDir Path out;

  @BeforeAll
  static void table() throws Exception {
    url = TestPostgres.freshDatabase("job_steps");
    TestPostgres.execute(
        url,
        "CREATE TABLE item (id int PRIMARY KEY)",
        "INSERT INTO item SELECT generate_series(1, 100)");
  }

  private RunnerApi.Pipeline job(String... more) throws Exception {
    PipelineOptionsFactory.register(MaterialiseOptions.class);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source=" + url,
                "--table=item",
                "--dataset=items",
                "--partitions=2",
                "--output=" + out.toUri()));
    args.addAll(List.of(more));
    MaterialiseOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(MaterialiseOptions.class);
    return PipelineTranslation.toProto(MaterialisePipeline.construct(options));
  }

  private List<String> topLevelSteps(String... more) throws Exception {
    RunnerApi.Pipeline proto = job(more);
    return names(proto, proto.getRootTransformIdsList());
  }

  /** The steps directly inside the Export step. */
  private List<String> exportSteps(String... more) throws Exception {
    RunnerApi.Pipeline proto = job(more);
    for (String id : proto.getRootTransformIdsList()) {
      RunnerApi.PTransform step = proto.getComponents().getTransformsOrThrow(id);
      if (step.getUniqueName().equals("Export")) {
        return names(proto, step.getSubtransformsList());
      }
    }
    throw new AssertionError("no Export step in " + topLevelSteps(more));
  }

  private RunnerApi.PTransform topLevelStep(String name, String... more) throws Exception {
    RunnerApi.Pipeline proto = job(more);
    for (String id : proto.getRootTransformIdsList()) {
      RunnerApi.PTransform step = proto.getComponents().getTransformsOrThrow(id);
      if (step.getUniqueName().equals(name)) {
        return step;
      }
    }
    throw new AssertionError("no " + name + " step in " + topLevelSteps(more));
  }

  private static List<String> names(RunnerApi.Pipeline proto, List<String> ids) {
    List<String> names = new ArrayList<>();
    for (String id : ids) {
      names.add(proto.getComponents().getTransformsOrThrow(id).getUniqueName());
    }
    return names;
  }

  @Test
  void onTheDirectRunnerThePartitionsAreReadWhereTheyAreWithoutAShuffle() throws Exception {
    assertEquals(List.of("Export/ReadAndWriteShards"), exportSteps());
  }

  @Test
  void onTheDirectRunnerThePartitionsAreAPrimitiveReadFromTheStart() throws Exception {
    RunnerApi.PTransform partitions = topLevelStep("Partitions");
    assertEquals(PTransformTranslation.READ_TRANSFORM_URN, partitions.getSpec().getUrn());
    assertEquals(List.of(), partitions.getSubtransformsList());
    // Elsewhere the read keeps Beam's splittable expansion, for the runner to translate.
    RunnerApi.PTransform elsewhere =
        topLevelStep("Partitions", "--runner=" + CrashingRunner.class.getName());
    assertFalse(elsewhere.getSubtransformsList().isEmpty());
  }

  @Test
  void onAnyOtherRunnerThePartitionsAreSpreadOverTheWorkersFirst() throws Exception {
    // A runner that only builds graphs: a distributed runner would fuse the read with the export.
    assertEquals(
        List.of("Export/SpreadPartitions", "Export/ReadAndWriteShards"),
        exportSteps("--runner=" + CrashingRunner.class.getName()));
  }

  @Test
  void aJobComparedWithAnEarlierVersionCountsItsChangesAfterItsCommit() throws Exception {
    String earlier = out.resolve("items/sha256-0/manifest.json").toUri().toString();
    List<String> steps = topLevelSteps("--compareWith=" + earlier);
    assertEquals(List.of("Partitions", "Export", "Commit", "Changes"), steps);
  }

  @Test
  void aJobWithNothingToCompareEndsWithItsCommit() throws Exception {
    List<String> steps = topLevelSteps();
    assertEquals(List.of("Partitions", "Export", "Commit"), steps);
    assertTrue(steps.stream().noneMatch(s -> s.startsWith("Changes")), steps.toString());
  }
}
