package org.amber.pipelines.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.artifacts.manifest.SchemaChanges;
import org.amber.transforms.diff.ChangedKeysFile;
import org.amber.transforms.diff.DiffUnavailable;
import org.amber.transforms.diff.VersionDiff;
import org.amber.transforms.storage.ArtifactFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code amber diff OLD NEW}: rows added, removed and changed between two versions, by key, and
 * their schema changes; optionally the changed keys as a Parquet file.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    versionProvider = AmberCli.Version.class,
    description = {
      "Count the rows added, removed and changed between two versions, matched by key.",
      "The key is the versions' partition column. Both versions are read once, shard by shard in"
          + " key order, in constant memory (rows whose key is NULL are compared by content)."
          + " Needs the Parquet format in both versions. Also lists columns added, removed and"
          + " retyped. Exit 0 when counted; 1 with one line on stderr when the versions cannot be"
          + " matched by key."
    },
    footer = {
      "",
      "Examples:",
      "  amber diff amber-data/orders/<old address>/manifest.json \\",
      "      amber-data/orders/<new address>/manifest.json",
      "  amber diff OLD/manifest.json NEW/manifest.json --rows changed-keys.parquet --json",
      "",
      "Beam's options for Cloud Storage may follow (--project, --gcs-endpoint,",
      "--credential-factory-class, …); without them Google's defaults apply."
    })
final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "OLD_MANIFEST",
      description = "The older version's manifest: a path, file:///…/manifest.json or gs://….")
  String before;

  @Parameters(
      index = "1",
      paramLabel = "NEW_MANIFEST",
      description = "The newer version's manifest, compared with the older one.")
  String after;

  @Option(
      names = "--rows",
      paramLabel = "FILE",
      description =
          "Also write each changed key to this Parquet file: a column 'change' (added, removed,"
              + " changed) and the key column. A path, file:///… or gs://….")
  String rows;

  @Option(
      names = "--json",
      description = "Print the result as one JSON object instead of lines of text.")
  boolean json;

  /** Beam's options for reaching gs:// (see {@link BeamArguments#registerFileSystems}). */
  @Unmatched List<String> beamOptions = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    BeamArguments.registerFileSystems(beamOptions);
    String oldUri = uri(before);
    String newUri = uri(after);
    Manifest old = VersionDiff.readManifest(oldUri);
    Manifest now = VersionDiff.readManifest(newUri);
    SchemaChanges schema = SchemaChanges.between(old.schema(), now.schema());
    VersionDiff.Result result;
    try {
      result =
          rows == null
              ? VersionDiff.compare(oldUri, old, newUri, now, null)
              : withRows(old, oldUri, now, newUri);
    } catch (DiffUnavailable e) {
      spec.commandLine().getErr().println("amber: changes unavailable: " + e.getMessage());
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode node = ManifestJson.CANONICAL.createObjectNode();
      node.put("key", result.key());
      node.put("added", result.added());
      node.put("removed", result.removed());
      node.put("changed", result.changed());
      node.set("schema_changes", ManifestJson.CANONICAL.valueToTree(schema));
      if (rows != null) {
        node.put("rows_file", uri(rows));
      }
      out.println(ManifestJson.CANONICAL.writeValueAsString(node));
    } else {
      out.println("key: " + result.key());
      out.println("added: " + result.added());
      out.println("removed: " + result.removed());
      out.println("changed: " + result.changed());
      if (!schema.added().isEmpty()) {
        out.println("columns added: " + String.join(", ", schema.added()));
      }
      if (!schema.removed().isEmpty()) {
        out.println("columns removed: " + String.join(", ", schema.removed()));
      }
      if (!schema.retyped().isEmpty()) {
        out.println(
            "columns retyped: "
                + schema.retyped().stream()
                    .map(r -> r.name() + " (" + r.from() + " -> " + r.to() + ")")
                    .collect(Collectors.joining(", ")));
      }
    }
    out.flush();
    return 0;
  }

  /** The diff, writing the changed keys; no file is left behind when the diff fails. */
  private VersionDiff.Result withRows(Manifest old, String oldUri, Manifest now, String newUri)
      throws IOException, DiffUnavailable {
    String target = uri(rows);
    boolean done = false;
    try (ChangedKeysFile file = ChangedKeysFile.create(target, old, now)) {
      VersionDiff.Result result = VersionDiff.compare(oldUri, old, newUri, now, file);
      file.finish();
      done = true;
      return result;
    } finally {
      if (!done) {
        ArtifactFiles.deleteIfExists(target);
      }
    }
  }

  private static String uri(String pathOrUri) {
    return pathOrUri.contains("://")
        ? pathOrUri
        : java.nio.file.Path.of(pathOrUri).toAbsolutePath().toUri().toString();
  }
}
