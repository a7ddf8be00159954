package org.amber.pipelines.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.amber.artifacts.build.BuildRecord;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.artifacts.protocol.BuildEvent;
import org.amber.artifacts.protocol.BuildSummary;
import org.amber.artifacts.protocol.ProtocolLines;
import org.amber.pipelines.materialise.MaterialiseOptions;
import org.amber.pipelines.materialise.MaterialisePipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code amber materialise}: parses {@link MaterialiseOptions} with Beam's own parser (so any Beam
 * option passes through) and prints the build's summary as the last line of stdout; on Dataflow,
 * which it does not wait for, the submitted job instead ({@link
 * org.amber.pipelines.materialise.SubmittedBuild}).
 */
@Command(
    name = "materialise",
    aliases = "materialize",
    description = "Build a dataset version from a query or a table.")
final class MaterialiseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Optional<String> help = OptionsHelp.requested(args);
    if (help.isPresent()) {
      out.print(help.get());
      out.flush();
      return 0;
    }
    if (!OptionsRegistry.localOnly(args)) {
      KnownOptions.check(spec.commandLine(), args);
    }
    BuildInput input = BuildInput.from(args, System.getenv(), System.in);
    MaterialiseOptions options =
        PipelineOptionsFactory.fromArgs(BeamArguments.normalise(input.args()))
            .withValidation()
            .as(MaterialiseOptions.class);
    if (input.query() != null) {
      options.setQuery(input.query());
    }
    boolean json = "json".equals(options.getProgress());
    // Stopped by a signal part way: nothing is committed (manifest.json comes last), so say so.
    Thread stopped =
        new Thread(
            () ->
                System.err.println(
                    "amber: stopped before the build finished; nothing was committed"));
    Runtime.getRuntime().addShutdownHook(stopped);
    try {
      if (MaterialisePipeline.submitsOnly(options)) {
        // Dataflow runs the build, commit included; this process only submits it.
        String submitted = MaterialisePipeline.submit(options).toJson();
        Runtime.getRuntime().removeShutdownHook(stopped);
        out.println(submitted);
        out.flush();
        return 0;
      }
      BuildRecord record = MaterialisePipeline.run(options);
      Runtime.getRuntime().removeShutdownHook(stopped);
      ClassArchive.markCommitted();
      BuildSummary summary =
          new BuildSummary(
              record.dataset(),
              record.address(),
              record.manifest(),
              record.contentDigest(),
              record.rows(),
              record.bytes(),
              DatasetLayout.of(options.getOutput(), record.dataset()).buildRecord(record.buildId()),
              record.changes());
      out.println(ProtocolLines.write(summary));
      out.flush();
      return 0;
    } catch (Exception e) {
      Runtime.getRuntime().removeShutdownHook(stopped);
      if (json) {
        System.err.println(ProtocolLines.write(new BuildEvent.Error(ErrorReport.describe(e))));
      }
      throw e;
    }
  }
}
