package org.amber.transforms.commit;

import java.util.ArrayList;
import java.util.List;
import org.amber.artifacts.build.BuildRecord;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.artifacts.manifest.Partitioning;
import org.amber.artifacts.manifest.SchemaField;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.export.ShardResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Gathers every shard of a build in one place and commits them as one dataset version with {@link
 * DatasetCommitter}. Runs in the pipeline, so a job launched on Dataflow commits its own result;
 * outputs the completed build record as JSON.
 *
 * <pre>{@code
 * shards.apply(CommitDataset.to(layout, buildId)
 *     .withContent(schema.toManifestSchema(), plan.toPartitioning(), formats, "zstd")
 *     .withBuildRecord(draft));
 * }</pre>
 */
public final class CommitDataset extends PTransform<PCollection<ShardResult>, PCollection<String>> {
  private final DatasetLayout layout;
  private final String buildId;
  private final List<SchemaField> schema;
  private final Partitioning partitioning;
  private final List<ShardFormat> formats;
  private final String parquetCompression;
  private final BuildRecord draft;

  private CommitDataset(
      DatasetLayout layout,
      String buildId,
      List<SchemaField> schema,
      Partitioning partitioning,
      List<ShardFormat> formats,
      String parquetCompression,
      BuildRecord draft) {
    this.layout = layout;
    this.buildId = buildId;
    this.schema = schema;
    this.partitioning = partitioning;
    this.formats = formats;
    this.parquetCompression = parquetCompression;
    this.draft = draft;
  }

  public static CommitDataset to(DatasetLayout layout, String buildId) {
    return new CommitDataset(layout, buildId, null, null, null, null, null);
  }

  /** What the manifest describes besides the files: schema, partitioning, format options. */
  public CommitDataset withContent(
      List<SchemaField> schema,
      Partitioning partitioning,
      List<ShardFormat> formats,
      String parquetCompression) {
    return new CommitDataset(
        layout,
        buildId,
        List.copyOf(schema),
        partitioning,
        List.copyOf(formats),
        parquetCompression,
        draft);
  }

  /** The build record as known at launch; the commit fills in its outcome. */
  public CommitDataset withBuildRecord(BuildRecord draft) {
    return new CommitDataset(
        layout, buildId, schema, partitioning, formats, parquetCompression, draft);
  }

  @Override
  public PCollection<String> expand(PCollection<ShardResult> shards) {
    if (schema == null || draft == null) {
      throw new IllegalStateException("CommitDataset needs withContent(…) and withBuildRecord(…)");
    }
    return shards
        .apply("OneKey", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(ShardResult.class)))
        .apply("AllShards", GroupByKey.create())
        .apply("Commit", ParDo.of(new CommitFn(this)));
  }

  private static final class CommitFn extends DoFn<KV<Integer, Iterable<ShardResult>>, String> {
    private final CommitDataset spec;

    CommitFn(CommitDataset spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void processElement(
        @Element KV<Integer, Iterable<ShardResult>> all, OutputReceiver<String> out)
        throws Exception {
      List<ShardResult> shards = new ArrayList<>();
      all.getValue().forEach(shards::add);
      DatasetCommitter committer = new DatasetCommitter(spec.layout, spec.buildId);
      Manifest manifest =
          committer.manifest(
              spec.schema, spec.partitioning, spec.formats, spec.parquetCompression, shards);
      BuildRecord record = committer.commit(manifest, spec.draft);
      out.output(
          new String(ManifestJson.canonicalBytes(record), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
