package org.amber.transforms.format;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Comparator;
import java.util.HashMap;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.transforms.download.MergedParquetFooter;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.SourceSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * A Parquet shard written column by column: each row's values go to its columns' {@link
 * ParquetLeaf}s, which keep a page of primitives and encode it whole when the page is cut; no Avro
 * records, no Beam rows, no record shredding and none of parquet-java's per-value column writers in
 * between. parquet-java still lays out the file: its page store compresses the pages and builds the
 * column and offset indexes, and its file writer writes the row groups and the footer. Every shard
 * of a build has the same schema (see {@link #schemaOf}); row groups are kept small enough that
 * several shards can be written at once in a small heap.
 *
 * <p>Pages are cut for all columns at once, at {@link #PAGE_ROWS} rows (parquet-java's default) or
 * sooner when a column's page reaches {@link #PAGE_BYTES}; row groups after the page that brings
 * the buffered column chunks to {@link #ROW_GROUP_BYTES}.
 */
final class ParquetShardWriter implements ShardWriter {
  static final long ROW_GROUP_BYTES = 32L << 20;
  static final int PAGE_BYTES = 1 << 20;
  static final int PAGE_ROWS = 20_000;

  /** Rows between checks of the pages' sizes: a sum over the columns is not worth every row. */
  private static final int PAGE_SIZE_CHECK_ROWS = 64;

  private final ShardOutput out;
  private final String path;
  private final StreamOutputFile file;
  private final MessageType schema;
  private final ParquetProperties properties;
  private final BytesInputCompressor compressor;
  private final ParquetFileWriter fileWriter;
  private final ColumnDescriptor[] descriptors;
  private final ParquetLeaf[] leaves;
  private ColumnChunkPageWriteStore pageStore;
  private long count;
  private long groupRows;
  private int pageRows;
  private boolean finished;

  ParquetShardWriter(ShardOutput out, String path, SourceSchema source, CompressionCodecName codec)
      throws IOException {
    this.out = out;
    this.path = path;
    this.file = new StreamOutputFile(out);
    this.schema = schemaOf(source);
    this.properties = ParquetProperties.builder().build();
    this.compressor =
        codec == CompressionCodecName.ZSTD
            ? new ZstdPageCompressor()
            : new CodecFactory(new Configuration(false), PAGE_BYTES).getCompressor(codec);
    this.fileWriter =
        new ParquetFileWriter(
            file,
            schema,
            ParquetFileWriter.Mode.OVERWRITE,
            ROW_GROUP_BYTES,
            ParquetWriter.MAX_PADDING_SIZE_DEFAULT,
            null,
            properties);
    fileWriter.start();
    this.descriptors = schema.getColumns().toArray(ColumnDescriptor[]::new);
    this.leaves = new ParquetLeaf[descriptors.length];
    for (int i = 0; i < leaves.length; i++) {
      leaves[i] = ParquetLeaves.of(source.get(i), descriptors[i]);
    }
    openRowGroup();
  }

  @Override
  public void write(Object[] row) throws IOException {
    ParquetLeaf[] leaves = this.leaves;
    for (int i = 0; i < leaves.length; i++) {
      leaves[i].add(row[i]);
    }
    count++;
    groupRows++;
    if (++pageRows >= PAGE_ROWS
        || pageRows % PAGE_SIZE_CHECK_ROWS == 0 && largestPageBytes() >= PAGE_BYTES) {
      endPage();
    }
  }

  private long largestPageBytes() {
    long largest = 0;
    for (ParquetLeaf leaf : leaves) {
      largest = Math.max(largest, leaf.plainBytes());
    }
    return largest;
  }

  private void endPage() throws IOException {
    long buffered = 0;
    for (ParquetLeaf leaf : leaves) {
      leaf.endPage();
    }
    pageRows = 0;
    for (ColumnDescriptor descriptor : descriptors) {
      buffered += pageStore.getPageWriter(descriptor).getMemSize();
    }
    if (buffered >= ROW_GROUP_BYTES) {
      flushRowGroup();
      openRowGroup();
    }
  }

  private void openRowGroup() {
    pageStore =
        new ColumnChunkPageWriteStore(
            compressor,
            schema,
            properties.getAllocator(),
            properties.getColumnIndexTruncateLength(),
            properties.getPageWriteChecksumEnabled(),
            null,
            0);
    for (int i = 0; i < leaves.length; i++) {
      leaves[i].startChunk(pageStore.getPageWriter(descriptors[i]));
    }
  }

  private void flushRowGroup() throws IOException {
    try {
      if (pageRows > 0) {
        for (ParquetLeaf leaf : leaves) {
          leaf.endPage();
        }
        pageRows = 0;
      }
      if (groupRows > 0) {
        for (ParquetLeaf leaf : leaves) {
          leaf.endChunk();
        }
        fileWriter.startBlock(groupRows);
        pageStore.flushToFileWriter(fileWriter);
        groupRows = 0;
        fileWriter.endBlock();
      }
    } finally {
      releaseRowGroup();
    }
  }

  private void releaseRowGroup() {
    if (pageStore != null) {
      pageStore.close();
      pageStore = null;
    }
  }

  @Override
  public ShardFile finish() throws IOException {
    // Should the end fail, the file is still unfinished: close() then releases it.
    flushRowGroup();
    fileWriter.end(new HashMap<>());
    finished = true;
    release();
    return new ShardFile(path, count, out.bytes(), out.sha256(), null, file.stream.tailBytes);
  }

  private void release() {
    compressor.release();
  }

  @Override
  public void close() {
    if (!finished) {
      finished = true;
      releaseRowGroup();
      release();
      try {
        out.close();
      } catch (IOException | RuntimeException ignored) {
        // Abandoned after a failure; the caller reports the original error.
      }
    }
  }

  /** The Parquet schema of a source schema: the type mapping of artifacts.md. */
  static MessageType schemaOf(SourceSchema schema) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (Column column : schema.columns()) {
      Repetition repetition = column.nullable() ? Repetition.OPTIONAL : Repetition.REQUIRED;
      message.addField(fieldOf(column.type(), repetition, column.name()));
    }
    return message.named("amber");
  }

  private static Type fieldOf(ColumnType type, Repetition repetition, String name) {
    switch (type.kind()) {
      case BOOL:
        return Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(name);
      case INT16:
        return Types.primitive(PrimitiveTypeName.INT32, repetition)
            .as(LogicalTypeAnnotation.intType(16, true))
            .named(name);
      case INT32:
        return Types.primitive(PrimitiveTypeName.INT32, repetition)
            .as(LogicalTypeAnnotation.intType(32, true))
            .named(name);
      case INT64:
        return Types.primitive(PrimitiveTypeName.INT64, repetition)
            .as(LogicalTypeAnnotation.intType(64, true))
            .named(name);
      case FLOAT32:
        return Types.primitive(PrimitiveTypeName.FLOAT, repetition).named(name);
      case FLOAT64:
        return Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
      case DECIMAL:
        if (!type.isBoundedDecimal()) {
          return Types.primitive(PrimitiveTypeName.BINARY, repetition)
              .as(LogicalTypeAnnotation.stringType())
              .named(name);
        }
        LogicalTypeAnnotation decimal =
            LogicalTypeAnnotation.decimalType(type.scale(), type.precision());
        if (type.precision() <= 9) {
          return Types.primitive(PrimitiveTypeName.INT32, repetition).as(decimal).named(name);
        }
        if (type.precision() <= 18) {
          return Types.primitive(PrimitiveTypeName.INT64, repetition).as(decimal).named(name);
        }
        return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, repetition)
            .length(decimalBytes(type.precision()))
            .as(decimal)
            .named(name);
      case STRING:
        return Types.primitive(PrimitiveTypeName.BINARY, repetition)
            .as(LogicalTypeAnnotation.stringType())
            .named(name);
      case JSON:
        return Types.primitive(PrimitiveTypeName.BINARY, repetition)
            .as(LogicalTypeAnnotation.jsonType())
            .named(name);
      case BINARY:
        return Types.primitive(PrimitiveTypeName.BINARY, repetition).named(name);
      case UUID:
        return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, repetition)
            .length(16)
            .as(LogicalTypeAnnotation.uuidType())
            .named(name);
      case DATE:
        return Types.primitive(PrimitiveTypeName.INT32, repetition)
            .as(LogicalTypeAnnotation.dateType())
            .named(name);
      case TIME:
        return Types.primitive(PrimitiveTypeName.INT64, repetition)
            .as(LogicalTypeAnnotation.timeType(false, LogicalTypeAnnotation.TimeUnit.MICROS))
            .named(name);
      case TIMESTAMP:
      case TIMESTAMPTZ:
        boolean utc = type.kind() == ColumnType.Kind.TIMESTAMPTZ;
        return Types.primitive(PrimitiveTypeName.INT64, repetition)
            .as(LogicalTypeAnnotation.timestampType(utc, LogicalTypeAnnotation.TimeUnit.MICROS))
            .named(name);
      case LIST:
        return Types.buildGroup(repetition)
            .as(LogicalTypeAnnotation.listType())
            .addField(
                Types.repeatedGroup()
                    .addField(fieldOf(type.element(), Repetition.OPTIONAL, "element"))
                    .named("list"))
            .named(name);
      default:
        throw new IllegalArgumentException("no Parquet type for " + type);
    }
  }

  /** Bytes of the smallest two's complement holding every unscaled value of a precision. */
  static int decimalBytes(int precision) {
    return (int) Math.ceil((precision * Math.log(10) / Math.log(2) + 1) / 8);
  }

  /**
   * parquet-mr's view of a {@link ShardOutput}: a position-tracking stream, closed by the writer.
   */
  static final class StreamOutputFile implements OutputFile {
    private final ShardOutput out;
    private DeterministicFooterStream stream;

    StreamOutputFile(ShardOutput out) {
      this.out = out;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      stream = new DeterministicFooterStream(out);
      return stream;
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }

  /**
   * Holds back the end of the file so that its footer can be made the same in every JVM before it
   * is written. parquet-mr gathers each column chunk's encodings in a {@code HashSet} of enums,
   * whose order follows identity hash codes and so changes from one process to the next; the footer
   * is re-serialized with the encodings (and encoding stats) in a fixed order. Only the order
   * changes, not the length, so every offset stays valid.
   */
  private static final class DeterministicFooterStream extends PositionOutputStream {
    /** Bytes kept back: far more than the footer of any shard (about 100 bytes a column chunk). */
    private static final int HOLD = 1 << 20;

    private final ShardOutput out;
    private byte[] tail = new byte[1 << 16];
    private int tailLength;

    /** Set on close: the file's bytes after its last row-group byte (its {@code footer_bytes}). */
    private Long tailBytes;

    DeterministicFooterStream(ShardOutput out) {
      this.out = out;
    }

    @Override
    public long getPos() {
      return out.bytes() + tailLength;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (tailLength + len > tail.length) {
        if (tailLength + len > 2 * HOLD) {
          int release = tailLength - HOLD;
          if (release > 0) {
            out.write(tail, 0, release);
            System.arraycopy(tail, release, tail, 0, tailLength - release);
            tailLength -= release;
          }
        }
        if (tailLength + len > tail.length) {
          tail = java.util.Arrays.copyOf(tail, Math.max(tail.length * 2, tailLength + len));
        }
      }
      System.arraycopy(b, off, tail, tailLength, len);
      tailLength += len;
    }

    @Override
    public void flush() {
      // Nothing leaves before close: the footer at the end may still change.
    }

    @Override
    public void close() throws IOException {
      normaliseFooter();
      out.write(tail, 0, tailLength);
      out.close();
    }

    private void normaliseFooter() throws IOException {
      int footerLength =
          (tail[tailLength - 8] & 0xff)
              | (tail[tailLength - 7] & 0xff) << 8
              | (tail[tailLength - 6] & 0xff) << 16
              | (tail[tailLength - 5] & 0xff) << 24;
      int start = tailLength - 8 - footerLength;
      if (start < 0) {
        throw new IOException(
            "Parquet footer of "
                + footerLength
                + " bytes is larger than the "
                + HOLD
                + " held back");
      }
      FileMetaData metadata =
          Util.readFileMetaData(new ByteArrayInputStream(tail, start, footerLength));
      for (RowGroup group : metadata.getRow_groups()) {
        for (ColumnChunk chunk : group.getColumns()) {
          ColumnMetaData column = chunk.getMeta_data();
          if (column == null) {
            continue;
          }
          column.getEncodings().sort(Comparator.comparingInt(Encoding::getValue));
          if (column.getEncoding_stats() != null) {
            column
                .getEncoding_stats()
                .sort(
                    Comparator.<PageEncodingStats>comparingInt(e -> e.getPage_type().getValue())
                        .thenComparingInt(e -> e.getEncoding().getValue()));
          }
        }
      }
      ByteArrayOutputStream rewritten = new ByteArrayOutputStream(footerLength);
      Util.writeFileMetaData(metadata, rewritten);
      if (rewritten.size() != footerLength) {
        throw new IOException(
            "the normalised Parquet footer changed length: "
                + footerLength
                + " -> "
                + rewritten.size());
      }
      System.arraycopy(rewritten.toByteArray(), 0, tail, start, footerLength);
      tailBytes = out.bytes() + tailLength - MergedParquetFooter.dataEnd(metadata);
    }
  }
}
