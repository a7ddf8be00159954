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
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * A Parquet shard written straight from decoded values through parquet-mr's {@link RecordConsumer}:
 * no Avro records, no Beam rows in between. Every shard of a build has the same schema (see {@link
 * #schemaOf}); row groups are kept small enough that several shards can be written at once in a
 * small heap.
 */
final class ParquetShardWriter implements ShardWriter {
  static final long ROW_GROUP_BYTES = 32L << 20;
  static final int PAGE_BYTES = 1 << 20;

  private final ShardOutput out;
  private final String path;
  private final StreamOutputFile file;
  private final ParquetWriter<Object[]> writer;
  private long count;
  private boolean finished;

  ParquetShardWriter(ShardOutput out, String path, SourceSchema schema, CompressionCodecName codec)
      throws IOException {
    this.out = out;
    this.path = path;
    this.file = new StreamOutputFile(out);
    this.writer =
        new Builder(file, schema)
            .withCompressionCodec(codec)
            .withRowGroupSize(ROW_GROUP_BYTES)
            .withPageSize(PAGE_BYTES)
            .withDictionaryEncoding(true)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withConf(new Configuration(false))
            .build();
  }

  @Override
  public void write(Object[] row) throws IOException {
    writer.write(row);
    count++;
  }

  @Override
  public ShardFile finish() throws IOException {
    finished = true;
    writer.close();
    return new ShardFile(path, count, out.bytes(), out.sha256(), null, file.stream.tailBytes);
  }

  @Override
  public void close() {
    if (!finished) {
      finished = true;
      try {
        writer.close();
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

  /** Writes one value of a column to the record consumer. */
  @FunctionalInterface
  private interface ValueWriter {
    void write(RecordConsumer consumer, Object value);
  }

  private static ValueWriter writerOf(ColumnType type, String columnName) {
    switch (type.kind()) {
      case BOOL:
        return (c, v) -> c.addBoolean((Boolean) v);
      case INT16:
      case INT32:
      case DATE:
        return (c, v) -> c.addInteger((Integer) v);
      case INT64:
      case TIME:
      case TIMESTAMP:
      case TIMESTAMPTZ:
        return (c, v) -> c.addLong((Long) v);
      case FLOAT32:
        return (c, v) -> c.addFloat((Float) v);
      case FLOAT64:
        return (c, v) -> c.addDouble((Double) v);
      case DECIMAL:
        if (!type.isBoundedDecimal()) {
          return (c, v) -> c.addBinary(Binary.fromString(ValueText.decimal(v)));
        }
        return decimalWriter(type, columnName);
      case STRING:
      case JSON:
      case BINARY:
      case UUID:
        return (c, v) -> c.addBinary(Binary.fromConstantByteArray((byte[]) v));
      case LIST:
        ValueWriter element = writerOf(type.element(), columnName);
        return (c, v) -> {
          c.startGroup();
          List<?> values = (List<?>) v;
          if (!values.isEmpty()) {
            c.startField("list", 0);
            for (Object item : values) {
              c.startGroup();
              if (item != null) {
                c.startField("element", 0);
                element.write(c, item);
                c.endField("element", 0);
              }
              c.endGroup();
            }
            c.endField("list", 0);
          }
          c.endGroup();
        };
      default:
        throw new IllegalArgumentException("no Parquet writer for " + type);
    }
  }

  private static ValueWriter decimalWriter(ColumnType type, String columnName) {
    int scale = type.scale();
    int precision = type.precision();
    int bytes = decimalBytes(precision);
    return (c, v) -> {
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
      if (precision <= 9) {
        c.addInteger(value.unscaledValue().intValueExact());
      } else if (precision <= 18) {
        c.addLong(value.unscaledValue().longValueExact());
      } else {
        byte[] minimal = value.unscaledValue().toByteArray();
        byte[] fixed = new byte[bytes];
        byte pad = (byte) (minimal[0] < 0 ? 0xff : 0);
        java.util.Arrays.fill(fixed, 0, bytes - minimal.length, pad);
        System.arraycopy(minimal, 0, fixed, bytes - minimal.length, minimal.length);
        c.addBinary(Binary.fromConstantByteArray(fixed));
      }
    };
  }

  /** Feeds rows to parquet-mr: one field per non-null value. */
  private static final class RowWriteSupport extends WriteSupport<Object[]> {
    private final MessageType schema;
    private final String[] names;
    private final ValueWriter[] writers;
    private RecordConsumer consumer;

    RowWriteSupport(SourceSchema source) {
      this.schema = schemaOf(source);
      this.names = source.names().toArray(String[]::new);
      this.writers = new ValueWriter[names.length];
      for (int i = 0; i < names.length; i++) {
        writers[i] = writerOf(source.get(i).type(), names[i]);
      }
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(Object[] row) {
      consumer.startMessage();
      for (int i = 0; i < writers.length; i++) {
        if (row[i] != null) {
          consumer.startField(names[i], i);
          writers[i].write(consumer, row[i]);
          consumer.endField(names[i], i);
        }
      }
      consumer.endMessage();
    }
  }

  private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
    private final SourceSchema schema;

    Builder(OutputFile file, SourceSchema schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(schema);
    }
  }

  /**
   * parquet-mr's view of a {@link ShardOutput}: a position-tracking stream, closed by the writer.
   */
  private static final class StreamOutputFile implements OutputFile {
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
