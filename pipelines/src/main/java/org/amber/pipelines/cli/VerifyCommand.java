package org.amber.pipelines.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.amber.pipelines.verify.ManifestVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code amber verify MANIFEST_URI}: exit 0 when every file holds, else each mismatch and exit 1.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = AmberCli.Version.class,
    description = {
      "Re-read every file a manifest lists and check it against the manifest.",
      "Checks each file's size and SHA-256, the row counts (Parquet footers, decoded CSV and"
          + " NDJSON), each Parquet shard's footer_bytes, the merged Parquet footer, the length"
          + " and SHA-256 of each format's one-file download, and the content digest. Exit 0"
          + " when all hold; otherwise each mismatch is printed and the exit code is 1."
    },
    footer = {
      "",
      "Examples:",
      "  amber verify amber-data/orders/<address>/manifest.json",
      "  amber verify gs://my-bucket/amber/orders/<address>/manifest.json",
      "",
      "Beam's options for Cloud Storage may follow (--project, --gcs-endpoint,",
      "--credential-factory-class, …); without them Google's defaults apply."
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "MANIFEST_URI",
      description =
          "The manifest to check: a path, file:///…/manifest.json or gs://…/manifest.json.")
  String manifest;

  /** Beam's options for reaching gs:// (see {@link BeamArguments#registerFileSystems}). */
  @Unmatched List<String> beamOptions = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    BeamArguments.registerFileSystems(beamOptions);
    String uri =
        manifest.contains("://")
            ? manifest
            : java.nio.file.Path.of(manifest).toAbsolutePath().toUri().toString();
    List<String> problems = ManifestVerifier.verify(uri);
    PrintWriter out = spec.commandLine().getOut();
    if (problems.isEmpty()) {
      out.println("ok: " + uri);
      return 0;
    }
    problems.forEach(p -> out.println("mismatch: " + p));
    return 1;
  }
}
