package org.amber.pipelines.materialise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.amber.testsupport.TestPostgres;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
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

  private List<String> topLevelSteps(String... more) throws Exception {
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
    RunnerApi.Pipeline proto = PipelineTranslation.toProto(MaterialisePipeline.construct(options));
    List<String> names = new ArrayList<>();
    for (String id : proto.getRootTransformIdsList()) {
      names.add(proto.getComponents().getTransformsOrThrow(id).getUniqueName());
    }
    return names;
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
