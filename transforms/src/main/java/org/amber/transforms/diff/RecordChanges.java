package org.amber.transforms.diff;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.nio.charset.StandardCharsets;
import org.amber.artifacts.build.BuildRecord;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.transforms.storage.ArtifactFiles;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * Counts a committed build's changes against an earlier version ({@link VersionChanges}) and writes
 * them into its build record. A step of the pipeline after the commit, so that a job whose launcher
 * does not wait for it (Dataflow) records its changes too. The counting never fails the build: a
 * diff that cannot be made is recorded with its reason.
 *
 * <pre>{@code
 * committedRecords.apply(
 *     RecordChanges.against("gs://bucket/data/items/sha256-…/manifest.json")
 *         .into(layout.buildRecord(buildId)));
 * }</pre>
 *
 * <p>Takes and outputs build records as canonical JSON (what {@link
 * org.amber.transforms.commit.CommitDataset} outputs).
 */
public final class RecordChanges extends PTransform<PCollection<String>, PCollection<String>> {
  private final String earlierManifest;
  private final String buildRecord;

  private RecordChanges(String earlierManifest, String buildRecord) {
    this.earlierManifest = earlierManifest;
    this.buildRecord = buildRecord;
  }

  /** Compares with the version whose {@code manifest.json} is at this URI. */
  public static RecordChanges against(String earlierManifestUri) {
    checkArgument(
        earlierManifestUri != null && earlierManifestUri.endsWith(DatasetLayout.MANIFEST),
        "RecordChanges.against(…) needs the URI of a %s, got %s",
        DatasetLayout.MANIFEST,
        earlierManifestUri);
    return new RecordChanges(earlierManifestUri, null);
  }

  /** Rewrites the build record at this URI (the build's own, {@code DatasetLayout.buildRecord}). */
  public RecordChanges into(String buildRecordUri) {
    checkArgument(
        buildRecordUri != null && buildRecordUri.endsWith(".json"),
        "RecordChanges.into(…) needs the URI of the build's record, got %s",
        buildRecordUri);
    return new RecordChanges(earlierManifest, buildRecordUri);
  }

  @Override
  public PCollection<String> expand(PCollection<String> records) {
    checkState(buildRecord != null, "RecordChanges needs into(…) the build's record");
    return records.apply("CountChanges", ParDo.of(new CountFn(earlierManifest, buildRecord)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("compareWith", earlierManifest).withLabel("Compared with"))
        .addIfNotNull(DisplayData.item("buildRecord", buildRecord).withLabel("Build record"));
  }

  private static final class CountFn extends DoFn<String, String> {
    private final String earlierManifest;
    private final String buildRecord;

    CountFn(String earlierManifest, String buildRecord) {
      this.earlierManifest = earlierManifest;
      this.buildRecord = buildRecord;
    }

    @ProcessElement
    public void processElement(@Element String json, OutputReceiver<String> out) throws Exception {
      BuildRecord record =
          ManifestJson.read(json.getBytes(StandardCharsets.UTF_8), BuildRecord.class);
      BuildRecord compared =
          record.withChanges(VersionChanges.between(earlierManifest, record.manifest()));
      byte[] bytes = ManifestJson.canonicalBytes(compared);
      ArtifactFiles.writeDurably(buildRecord, bytes, "application/json");
      out.output(new String(bytes, StandardCharsets.UTF_8));
    }
  }
}
