package org.amber.pipelines.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.amber.pipelines.verify.ManifestVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code amber verify MANIFEST_URI}: exit 0 when every file holds, else each mismatch and exit 1. */
@Command(name = "verify", description = "Re-read every file a manifest lists and check it against the manifest.")
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "MANIFEST_URI", description = "file:///…/manifest.json or gs://…/manifest.json")
  String manifest;

  @Override
  public Integer call() throws Exception {
    String uri = manifest.contains("://") ? manifest : java.nio.file.Path.of(manifest).toAbsolutePath().toUri().toString();
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
