package org.amber.transforms.export;

import java.io.BufferedOutputStream;
import java.util.ArrayList;
import java.util.List;
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
 *         .apply(Create.of(plan.partitions()).withCoder(SerializableCoder.of(Partition.class)))
 *         .apply(ExportPartitions.from(reader, schema)
 *             .to("file:///data/compound/.staging/b-123/")
 *             .withFormats(List.of(ShardFormat.PARQUET, ShardFormat.CSV_GZ))
 *             .withShards(plan.shards()));
 * }</pre>
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

  private ExportPartitions(
      PartitionReader reader,
      SourceSchema schema,
      String stagingDir,
      List<ShardFormat> formats,
      int shards,
      FormatOptions formatOptions) {
    this.reader = reader;
    this.schema = schema;
    this.stagingDir = stagingDir;
    this.formats = List.copyOf(formats);
    this.shards = shards;
    this.formatOptions = formatOptions;
  }

  public static ExportPartitions from(PartitionReader reader, SourceSchema schema) {
    return new ExportPartitions(
        reader, schema, null, List.of(ShardFormat.PARQUET), 1, FormatOptions.DEFAULT);
  }

  /** The staging folder (ending in {@code /}) the shard files are written under. */
  public ExportPartitions to(String stagingDir) {
    return new ExportPartitions(reader, schema, stagingDir, formats, shards, formatOptions);
  }

  public ExportPartitions withFormats(List<ShardFormat> formats) {
    return new ExportPartitions(reader, schema, stagingDir, formats, shards, formatOptions);
  }

  /** The plan's number of shards: it names every file ({@code part-00003-of-00008}). */
  public ExportPartitions withShards(int shards) {
    return new ExportPartitions(reader, schema, stagingDir, formats, shards, formatOptions);
  }

  public ExportPartitions withFormatOptions(FormatOptions options) {
    return new ExportPartitions(reader, schema, stagingDir, formats, shards, options);
  }

  @Override
  public PCollection<ShardResult> expand(PCollection<Partition> partitions) {
    if (stagingDir == null || !stagingDir.endsWith("/")) {
      throw new IllegalStateException("ExportPartitions needs .to(a staging folder ending in /)");
    }
    return partitions
        .apply("SpreadPartitions", Reshuffle.viaRandomKey())
        .apply("ReadAndWriteShards", ParDo.of(new ExportFn(this)));
  }

  private static final class ExportFn extends DoFn<Partition, ShardResult> {
    private static final long ROWS_PER_REPORT = 50_000;

    private final PartitionReader reader;
    private final SourceSchema schema;
    private final String stagingDir;
    private final List<ShardFormat> formats;
    private final int shards;
    private final FormatOptions formatOptions;
    private final Counter partitionsDone = Metrics.counter(NAMESPACE, PARTITIONS_DONE);
    private final Counter rowsRead = Metrics.counter(NAMESPACE, ROWS);
    private final Counter bytesWritten = Metrics.counter(NAMESPACE, BYTES);

    ExportFn(ExportPartitions spec) {
      this.reader = spec.reader;
      this.schema = spec.schema;
      this.stagingDir = spec.stagingDir;
      this.formats = spec.formats;
      this.shards = spec.shards;
      this.formatOptions = spec.formatOptions;
    }

    @ProcessElement
    public void processElement(@Element Partition partition, OutputReceiver<ShardResult> out)
        throws Exception {
      // The writers close before the cursor does: a shard is written only while its source
      // session is open, so once a stopped build's sessions have ended nothing writes any more.
      try (RowCursor rows = reader.read(partition)) {
        List<ShardWriter> writers = new ArrayList<>(formats.size());
        try {
          for (ShardFormat format : formats) {
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
      long count = 0;
      while (rows.next()) {
        Object[] row = rows.row();
        for (ShardWriter writer : writers) {
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
      String path = format.shardPath(index, shards);
      ShardOutput output =
          new ShardOutput(
              new BufferedOutputStream(
                  ArtifactFiles.create(stagingDir + path, "application/octet-stream"), 1 << 16));
      try {
        return ShardWriters.open(format, output, path, schema, formatOptions);
      } catch (Exception e) {
        output.close();
        throw e;
      }
    }
  }
}
