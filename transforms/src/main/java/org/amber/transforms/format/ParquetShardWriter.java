package org.amber.transforms.format;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.transforms.download.MergedParquetFooter;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.SourceSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
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
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * A Parquet shard written straight from decoded values into parquet-java's column writers: no Avro
 * records, no Beam rows and no record shredding in between (every column is a single leaf, so its
 * repetition and definition levels are known without walking the schema for each value). Every
 * shard of a build has the same schema (see {@link #schemaOf}); row groups are kept small enough
 * that several shards can be written at once in a small heap.
 *
 * <p>Row groups and pages are cut where parquet-java's own record writer cuts them (the same memory
 * checks at the same record counts), so the file is byte for byte what {@code ParquetWriter} writes
 * for the same rows.
 */
final class ParquetShardWriter implements ShardWriter {
  static final long ROW_GROUP_BYTES = 32L << 20;
  static final int PAGE_BYTES = 1 << 20;

  private final ShardOutput out;
  private final String path;
  private final StreamOutputFile file;
  private final MessageType schema;
  private final ParquetProperties properties;
  private final CodecFactory codecs;
  private final BytesInputCompressor compressor;
  private final ParquetFileWriter fileWriter;
  private final ColumnDescriptor[] leaves;
  private final LeafWriter[] writers;
  private final ColumnWriter[] columns;
  private ColumnChunkPageWriteStore pageStore;
  private ColumnWriteStore columnStore;
  private long count;
  private long groupRows;
  private long nextSizeCheck;
  private long nextGroupBytes = ROW_GROUP_BYTES;
  private boolean finished;

  ParquetShardWriter(ShardOutput out, String path, SourceSchema source, CompressionCodecName codec)
      throws IOException {
    this.out = out;
    this.path = path;
    this.file = new StreamOutputFile(out);
    this.schema = schemaOf(source);
    this.properties =
        ParquetProperties.builder().withPageSize(PAGE_BYTES).withDictionaryEncoding(true).build();
    this.codecs = new CodecFactory(new Configuration(false), properties.getPageSizeThreshold());
    this.compressor = codecs.getCompressor(codec);
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
    this.leaves = schema.getColumns().toArray(ColumnDescriptor[]::new);
    this.writers = new LeafWriter[leaves.length];
    for (int i = 0; i < leaves.length; i++) {
      writers[i] = leafWriterOf(source.get(i), leaves[i].getMaxDefinitionLevel());
    }
    this.columns = new ColumnWriter[leaves.length];
    this.nextSizeCheck = properties.getMinRowCountForPageSizeCheck();
    openRowGroup();
  }

  @Override
  public void write(Object[] row) throws IOException {
    ColumnWriter[] columns = this.columns;
    LeafWriter[] writers = this.writers;
    for (int i = 0; i < writers.length; i++) {
      writers[i].write(columns[i], row[i]);
    }
    columnStore.endRecord();
    count++;
    if (++groupRows >= nextSizeCheck) {
      checkRowGroupSize();
    }
  }

  /**
   * parquet-java's {@code InternalParquetRecordWriter} rule: measuring the buffered size costs, so
   * it is measured at record counts estimated from the average record size, and the row group is
   * closed when within about two records of its target.
   */
  private void checkRowGroupSize() throws IOException {
    long buffered = columnStore.getBufferedSize();
    long recordBytes = buffered / groupRows;
    int min = properties.getMinRowCountForPageSizeCheck();
    int max = properties.getMaxRowCountForPageSizeCheck();
    if (buffered > nextGroupBytes - 2 * recordBytes) {
      long rows = groupRows;
      flushRowGroup();
      openRowGroup();
      nextSizeCheck = Math.min(Math.max(min, rows / 2), max);
    } else {
      nextSizeCheck =
          Math.min(
              Math.max(min, (groupRows + (long) (nextGroupBytes / ((float) recordBytes))) / 2),
              groupRows + max);
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
    columnStore = properties.newColumnWriteStore(schema, pageStore, pageStore);
    for (int i = 0; i < leaves.length; i++) {
      columns[i] = columnStore.getColumnWriter(leaves[i]);
    }
  }

  private void flushRowGroup() throws IOException {
    try {
      if (groupRows > 0) {
        fileWriter.startBlock(groupRows);
        columnStore.flush();
        pageStore.flushToFileWriter(fileWriter);
        groupRows = 0;
        fileWriter.endBlock();
        nextGroupBytes = Math.min(fileWriter.getNextRowGroupSize(), ROW_GROUP_BYTES);
      }
    } finally {
      releaseRowGroup();
    }
  }

  private void releaseRowGroup() {
    if (columnStore != null) {
      columnStore.close();
      pageStore.close();
      columnStore = null;
      pageStore = null;
    }
  }

  @Override
  public ShardFile finish() throws IOException {
    // Should the end fail, the file is still unfinished: close() then releases it.
    flushRowGroup();
    fileWriter.end(new HashMap<>());
    finished = true;
    codecs.release();
    return new ShardFile(path, count, out.bytes(), out.sha256(), null, file.stream.tailBytes);
  }

  @Override
  public void close() {
    if (!finished) {
      finished = true;
      releaseRowGroup();
      codecs.release();
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

  /** Writes one top-level value (possibly null) to the column writer of its leaf. */
  @FunctionalInterface
  private interface LeafWriter {
    void write(ColumnWriter column, Object value);
  }

  /** Writes one non-null primitive value at the given levels. */
  @FunctionalInterface
  private interface ValueWriter {
    void write(ColumnWriter column, Object value, int repetition, int definition);
  }

  /**
   * The levels of a flat leaf: 0 for null, the leaf's maximum definition level for a value. A list
   * column's single leaf ({@code <name>.list.element}: an optional element in a repeated group)
   * counts its definition levels down from the maximum: element present, element null, list empty;
   * a null list is 0. The first element of a row has repetition level 0, the others 1.
   */
  private static LeafWriter leafWriterOf(Column column, int maxDefinition) {
    ColumnType type = column.type();
    if (type.kind() == ColumnType.Kind.LIST) {
      ValueWriter element = valueWriterOf(type.element(), column.name());
      int emptyList = maxDefinition - 2;
      int nullElement = maxDefinition - 1;
      return (c, v) -> {
        if (v == null) {
          c.writeNull(0, nullLevel(column));
          return;
        }
        List<?> values = (List<?>) v;
        if (values.isEmpty()) {
          c.writeNull(0, emptyList);
          return;
        }
        int repetition = 0;
        for (Object item : values) {
          if (item == null) {
            c.writeNull(repetition, nullElement);
          } else {
            element.write(c, item, repetition, maxDefinition);
          }
          repetition = 1;
        }
      };
    }
    ValueWriter value = valueWriterOf(type, column.name());
    return (c, v) -> {
      if (v == null) {
        c.writeNull(0, nullLevel(column));
      } else {
        value.write(c, v, 0, maxDefinition);
      }
    };
  }

  /** The definition level of a null top-level value: 0, and only in a nullable column. */
  private static int nullLevel(Column column) {
    if (!column.nullable()) {
      throw new IllegalArgumentException(
          "column '" + column.name() + "' is declared NOT NULL but holds a NULL");
    }
    return 0;
  }

  private static ValueWriter valueWriterOf(ColumnType type, String columnName) {
    switch (type.kind()) {
      case BOOL:
        return (c, v, r, d) -> c.write((boolean) (Boolean) v, r, d);
      case INT16:
      case INT32:
      case DATE:
        return (c, v, r, d) -> c.write((int) (Integer) v, r, d);
      case INT64:
      case TIME:
      case TIMESTAMP:
      case TIMESTAMPTZ:
        return (c, v, r, d) -> c.write((long) (Long) v, r, d);
      case FLOAT32:
        return (c, v, r, d) -> c.write((float) (Float) v, r, d);
      case FLOAT64:
        return (c, v, r, d) -> c.write((double) (Double) v, r, d);
      case DECIMAL:
        if (!type.isBoundedDecimal()) {
          return (c, v, r, d) -> c.write(Binary.fromString(ValueText.decimal(v)), r, d);
        }
        return decimalWriter(type, columnName);
      case STRING:
      case JSON:
      case BINARY:
      case UUID:
        return (c, v, r, d) -> c.write(Binary.fromConstantByteArray((byte[]) v), r, d);
      default:
        throw new IllegalArgumentException("no Parquet writer for " + type);
    }
  }

  private static ValueWriter decimalWriter(ColumnType type, String columnName) {
    int scale = type.scale();
    int precision = type.precision();
    int bytes = decimalBytes(precision);
    return (c, v, r, d) -> {
      if (!(v instanceof BigDecimal)) {
        throw new IllegalArgumentException(
            "column '"
                + columnName
                + "' is numeric("
                + precision
                + ","
                + scale
                + ") but holds "
                + v
                + ", which Parquet's DECIMAL cannot store; cast the column to numeric (unbounded) or text");
      }
      BigDecimal value = ((BigDecimal) v).setScale(scale, RoundingMode.UNNECESSARY);
      // The unscaled value as the decimal moved to scale 0: a BigDecimal of up to 18 digits keeps
      // it in a long, where unscaledValue() would build a BigInteger for every value.
      if (precision <= 9) {
        c.write(value.scaleByPowerOfTen(scale).intValueExact(), r, d);
      } else if (precision <= 18) {
        c.write(value.scaleByPowerOfTen(scale).longValueExact(), r, d);
      } else {
        byte[] minimal = value.unscaledValue().toByteArray();
        byte[] fixed = new byte[bytes];
        byte pad = (byte) (minimal[0] < 0 ? 0xff : 0);
        java.util.Arrays.fill(fixed, 0, bytes - minimal.length, pad);
        System.arraycopy(minimal, 0, fixed, bytes - minimal.length, minimal.length);
        c.write(Binary.fromConstantByteArray(fixed), r, d);
      }
    };
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
