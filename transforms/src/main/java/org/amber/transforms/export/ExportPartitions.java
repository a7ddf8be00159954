package org.amber.transforms.export;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.io.BufferedOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.format.FormatOptions;
import org.amber.transforms.format.ShardOutput;
import org.amber.transforms.format.ShardWriter;
import org.amber.transforms.format.ShardWriters;
import org.amber.transforms.partition.Partition;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.source.PartitionReader;
import org.amber.transforms.source.RowCursor;
import org.amber.transforms.storage.ArtifactFiles;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads each partition and writes it, in the same step, as shard {@code i} of every requested
 * format under a staging folder: rows are never shuffled, only the partitions themselves are spread
 * over the workers. Each file is written through Beam {@link FileSystems} (so {@code file://} and
 * {@code gs://} both work) and its SHA-256 and row count are computed on the way.
 *
 * <pre>{@code
 * PCollection<ShardResult> shards =
 *     pipeline
 *         .apply(Read.from(PartitionSource.of(plan.partitions())))
 *         .apply(ExportPartitions.from(reader, schema)
 *             .to("file:///data/compound/.staging/b-123/")
 *             .withFormats(List.of(ShardFormat.PARQUET, ShardFormat.CSV_GZ))
 *             .withShards(plan.shards()));
 * }</pre>
 *
 * <p>Each {@code with…} method returns a new transform and refuses a bad argument at once, so a
 * mistake is reported where it is made; applying it only checks that {@code to(…)} was given. Its
 * display data shows the staging folder, formats, shards, compression and the reader's source (its
 * URL redacted, never a password).
 *
 * <p>Counters {@code amber/partitions_done}, {@code amber/rows} and {@code amber/bytes} report
 * progress while it runs.
 */
public final class ExportPartitions
    extends PTransform<PCollection<Partition>, PCollection<ShardResult>> {
  public static final String NAMESPACE = "amber";
  public static final String PARTITIONS_DONE = "partitions_done";
  public static final String ROWS = "rows";
  public static final String BYTES = "bytes";

  private final PartitionReader reader;
  private final SourceSchema schema;
  private final String stagingDir;
  private final List<ShardFormat> formats;
  private final int shards;
  private final FormatOptions formatOptions;
  private final boolean spreading;

  private ExportPartitions(Builder builder) {
    this.reader = builder.reader;
    this.schema = builder.schema;
    this.stagingDir = builder.stagingDir;
    this.formats = builder.formats;
    this.shards = builder.shards;
    this.formatOptions = builder.formatOptions;
    this.spreading = builder.spreading;
  }

  /** Reads with {@code reader} rows of {@code schema}; one Parquet shard unless told otherwise. */
  public static ExportPartitions from(PartitionReader reader, SourceSchema schema) {
    checkArgument(reader != null, "ExportPartitions.from(…) needs a partition reader, got null");
    checkArgument(schema != null, "ExportPartitions.from(…) needs the source schema, got null");
    Builder builder = new Builder();
    builder.reader = reader;
    builder.schema = schema;
    builder.formats = List.of(ShardFormat.PARQUET);
    builder.shards = 1;
    builder.formatOptions = FormatOptions.DEFAULT;
    builder.spreading = true;
    return builder.build();
  }

  /** The staging folder (ending in {@code /}) the shard files are written under. */
  public ExportPartitions to(String stagingDir) {
    checkArgument(
        stagingDir != null && stagingDir.endsWith("/"),
        "ExportPartitions.to(…) takes a staging folder ending in '/', got %s",
        stagingDir);
    Builder builder = toBuilder();
    builder.stagingDir = stagingDir;
    return builder.build();
  }

  /** The formats every partition is written in, each as shard {@code i} of its own folder. */
  public ExportPartitions withFormats(List<ShardFormat> formats) {
    checkArgument(
        formats != null && !formats.isEmpty() && formats.stream().noneMatch(Objects::isNull),
        "ExportPartitions.withFormats(…) needs at least one format, got %s",
        formats);
    checkArgument(
        formats.stream().distinct().count() == formats.size(),
        "ExportPartitions.withFormats(…) names a format twice: %s",
        formats);
    Builder builder = toBuilder();
    builder.formats = List.copyOf(formats);
    return builder.build();
  }

  /** The plan's number of shards: it names every file ({@code part-00003-of-00008}). */
  public ExportPartitions withShards(int shards) {
    checkArgument(shards >= 1, "ExportPartitions.withShards(…) must be at least 1, got %s", shards);
    Builder builder = toBuilder();
    builder.shards = shards;
    return builder.build();
  }

  /** Parquet's codec and the gzip level: both change the bytes, and so the content digest. */
  public ExportPartitions withFormatOptions(FormatOptions options) {
    checkArgument(
        options != null, "ExportPartitions.withFormatOptions(…) needs format options, got null");
    Builder builder = toBuilder();
    builder.formatOptions = options;
    return builder.build();
  }

  /**
   * Whether the partitions are spread over the workers (a {@link Reshuffle}) before they are read:
   * the default. A distributed runner fuses reading a partition with the step that produced the
   * partitions, so without it one worker would read them all. The direct runner does not fuse: it
   * reads each split of a {@link PartitionSource} as a bundle of its own, on a thread of its own,
   * and there the shuffle adds only start-up (a fifth of a second of an empty build).
   */
  public ExportPartitions withSpreading(boolean spreading) {
    Builder builder = toBuilder();
    builder.spreading = spreading;
    return builder.build();
  }

  @Override
  public PCollection<ShardResult> expand(PCollection<Partition> partitions) {
    checkState(stagingDir != null, "ExportPartitions needs .to(a staging folder ending in /)");
    PCollection<Partition> spread =
        spreading ? partitions.apply("SpreadPartitions", Reshuffle.viaRandomKey()) : partitions;
    return spread.apply("ReadAndWriteShards", ParDo.of(new ExportFn(this)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .addIfNotNull(DisplayData.item("stagingDir", stagingDir).withLabel("Staging folder"))
        .add(
            DisplayData.item(
                    "formats",
                    formats.stream().map(ShardFormat::key).collect(Collectors.joining(",")))
                .withLabel("Formats"))
        .add(DisplayData.item("shards", shards).withLabel("Shards per format"))
        .add(
            DisplayData.item("parquetCompression", formatOptions.parquetCompression())
                .withLabel("Parquet compression"))
        .add(DisplayData.item("gzipLevel", formatOptions.gzipLevel()).withLabel("Gzip level"))
        .add(DisplayData.item("spreading", spreading).withLabel("Partitions spread by a shuffle"))
        .add(DisplayData.item("columns", schema.size()).withLabel("Columns"))
        .include("reader", reader);
  }

  private Builder toBuilder() {
    Builder builder = new Builder();
    builder.reader = reader;
    builder.schema = schema;
    builder.stagingDir = stagingDir;
    builder.formats = formats;
    builder.shards = shards;
    builder.formatOptions = formatOptions;
    builder.spreading = spreading;
    return builder;
  }

  /** The changed copy a {@code with…} method returns: the transform itself never changes. */
  private static final class Builder {
    private PartitionReader reader;
    private SourceSchema schema;
    private String stagingDir;
    private List<ShardFormat> formats;
    private int shards;
    private FormatOptions formatOptions;
    private boolean spreading;

    ExportPartitions build() {
      return new ExportPartitions(this);
    }
  }

  private static final class ExportFn extends DoFn<Partition, ShardResult> {
    private static final long ROWS_PER_REPORT = 50_000;

    private final ExportPartitions spec;
    private final Counter partitionsDone = Metrics.counter(NAMESPACE, PARTITIONS_DONE);
    private final Counter rowsRead = Metrics.counter(NAMESPACE, ROWS);
    private final Counter bytesWritten = Metrics.counter(NAMESPACE, BYTES);

    ExportFn(ExportPartitions spec) {
      this.spec = spec;
    }

    /** The runner shows the step that does the work with what it writes and where. */
    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      builder.delegate(spec);
    }

    @ProcessElement
    public void processElement(@Element Partition partition, OutputReceiver<ShardResult> out)
        throws Exception {
      // The writers close before the cursor does: a shard is written only while its source
      // session is open, so once a stopped build's sessions have ended nothing writes any more.
      try (RowCursor rows = spec.reader.read(partition)) {
        List<ShardWriter> writers = new ArrayList<>(spec.formats.size());
        try {
          for (ShardFormat format : spec.formats) {
            writers.add(open(format, partition.index()));
          }
          out.output(new ShardResult(partition.index(), copy(rows, writers)));
          partitionsDone.inc();
        } finally {
          writers.forEach(ShardWriter::close);
        }
      }
    }

    private List<ShardFile> copy(RowCursor rows, List<ShardWriter> writers) throws Exception {
      // An array, not the list: no iterator per row in the loop every row goes through.
      ShardWriter[] targets = writers.toArray(ShardWriter[]::new);
      long count = 0;
      while (rows.next()) {
        Object[] row = rows.row();
        for (ShardWriter writer : targets) {
          writer.write(row);
        }
        if (++count % ROWS_PER_REPORT == 0) {
          rowsRead.inc(ROWS_PER_REPORT);
        }
      }
      rowsRead.inc(count % ROWS_PER_REPORT);
      List<ShardFile> files = new ArrayList<>(writers.size());
      for (ShardWriter writer : writers) {
        ShardFile file = writer.finish();
        bytesWritten.inc(file.bytes());
        files.add(file);
      }
      return files;
    }

    private ShardWriter open(ShardFormat format, int index) throws Exception {
      String path = format.shardPath(index, spec.shards);
      ShardOutput output =
          new ShardOutput(
              new BufferedOutputStream(
                  ArtifactFiles.create(spec.stagingDir + path, "application/octet-stream"),
                  1 << 16));
      try {
        return ShardWriters.open(format, output, path, spec.schema, spec.formatOptions);
      } catch (Exception e) {
        output.close();
        throw e;
      }
    }
  }
}
