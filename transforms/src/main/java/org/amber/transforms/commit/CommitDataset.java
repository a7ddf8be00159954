package org.amber.transforms.commit;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
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
import org.apache.beam.sdk.transforms.display.DisplayData;
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
 *
 * <p>Each {@code with…} method returns a new transform and refuses a bad argument at once (a build
 * record of another build or dataset among them); applying it only checks that both were given. Its
 * display data shows the dataset, its folder, the build and the content's shape.
 */
public final class CommitDataset extends PTransform<PCollection<ShardResult>, PCollection<String>> {
  private final DatasetLayout layout;
  private final String buildId;
  private final List<SchemaField> schema;
  private final Partitioning partitioning;
  private final List<ShardFormat> formats;
  private final String parquetCompression;
  private final BuildRecord draft;

  private CommitDataset(Builder builder) {
    this.layout = builder.layout;
    this.buildId = builder.buildId;
    this.schema = builder.schema;
    this.partitioning = builder.partitioning;
    this.formats = builder.formats;
    this.parquetCompression = builder.parquetCompression;
    this.draft = builder.draft;
  }

  /** Commits build {@code buildId} as a version of {@code layout}'s dataset. */
  public static CommitDataset to(DatasetLayout layout, String buildId) {
    checkArgument(layout != null, "CommitDataset.to(…) needs the dataset's layout, got null");
    DatasetLayout.requireBuildId(buildId);
    Builder builder = new Builder();
    builder.layout = layout;
    builder.buildId = buildId;
    return builder.build();
  }

  /** What the manifest describes besides the files: schema, partitioning, format options. */
  public CommitDataset withContent(
      List<SchemaField> schema,
      Partitioning partitioning,
      List<ShardFormat> formats,
      String parquetCompression) {
    checkArgument(
        schema != null && schema.stream().noneMatch(Objects::isNull),
        "CommitDataset.withContent(…) needs the schema's fields, got %s",
        schema);
    checkArgument(
        partitioning != null && partitioning.shards() >= 1,
        "CommitDataset.withContent(…) needs a partitioning of at least 1 shard, got %s",
        partitioning);
    checkArgument(
        formats != null && !formats.isEmpty() && formats.stream().noneMatch(Objects::isNull),
        "CommitDataset.withContent(…) needs at least one format, got %s",
        formats);
    checkArgument(
        formats.stream().distinct().count() == formats.size(),
        "CommitDataset.withContent(…) names a format twice: %s",
        formats);
    checkArgument(
        parquetCompression != null || !formats.contains(ShardFormat.PARQUET),
        "CommitDataset.withContent(…) needs the Parquet compression the shards were written with");
    Builder builder = toBuilder();
    builder.schema = List.copyOf(schema);
    builder.partitioning = partitioning;
    builder.formats = List.copyOf(formats);
    builder.parquetCompression = parquetCompression;
    return builder.build();
  }

  /**
   * The build record as known at launch, of this build and dataset; the commit fills in the rest.
   */
  public CommitDataset withBuildRecord(BuildRecord draft) {
    checkArgument(draft != null, "CommitDataset.withBuildRecord(…) needs a build record, got null");
    checkArgument(
        buildId.equals(draft.buildId()) && layout.dataset().equals(draft.dataset()),
        "CommitDataset.withBuildRecord(…) got the record of build %s of dataset %s;"
            + " this commits build %s of dataset %s",
        draft.buildId(),
        draft.dataset(),
        buildId,
        layout.dataset());
    Builder builder = toBuilder();
    builder.draft = draft;
    return builder.build();
  }

  @Override
  public PCollection<String> expand(PCollection<ShardResult> shards) {
    checkState(
        schema != null && draft != null,
        "CommitDataset needs withContent(…) and withBuildRecord(…)");
    return shards
        .apply("OneKey", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(ShardResult.class)))
        .apply("AllShards", GroupByKey.create())
        .apply("Commit", ParDo.of(new CommitFn(this)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("dataset", layout.dataset()).withLabel("Dataset"))
        .add(DisplayData.item("output", layout.datasetDir()).withLabel("Dataset folder"))
        .add(DisplayData.item("buildId", buildId).withLabel("Build"));
    if (formats != null) {
      builder
          .add(
              DisplayData.item(
                      "formats",
                      formats.stream().map(ShardFormat::key).collect(Collectors.joining(",")))
                  .withLabel("Formats"))
          .addIfNotNull(
              DisplayData.item("parquetCompression", parquetCompression)
                  .withLabel("Parquet compression"))
          .add(DisplayData.item("shards", partitioning.shards()).withLabel("Shards per format"))
          .addIfNotNull(
              DisplayData.item("partitionColumn", partitioning.column())
                  .withLabel("Partition column"))
          .add(DisplayData.item("columns", schema.size()).withLabel("Columns"));
    }
  }

  private Builder toBuilder() {
    Builder builder = new Builder();
    builder.layout = layout;
    builder.buildId = buildId;
    builder.schema = schema;
    builder.partitioning = partitioning;
    builder.formats = formats;
    builder.parquetCompression = parquetCompression;
    builder.draft = draft;
    return builder;
  }

  /** The changed copy a {@code with…} method returns: the transform itself never changes. */
  private static final class Builder {
    private DatasetLayout layout;
    private String buildId;
    private List<SchemaField> schema;
    private Partitioning partitioning;
    private List<ShardFormat> formats;
    private String parquetCompression;
    private BuildRecord draft;

    CommitDataset build() {
      return new CommitDataset(this);
    }
  }

  private static final class CommitFn extends DoFn<KV<Integer, Iterable<ShardResult>>, String> {
    private final CommitDataset spec;

    CommitFn(CommitDataset spec) {
      this.spec = spec;
    }

    /** The runner shows the step that commits with the dataset and build it commits. */
    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      builder.delegate(spec);
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
      out.output(new String(ManifestJson.canonicalBytes(record), StandardCharsets.UTF_8));
    }
  }
}
