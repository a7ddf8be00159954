package org.amber.transforms.format;

import java.io.IOException;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.schema.SourceSchema;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** Opens the writer of a format for one shard file. */
public final class ShardWriters {
  private ShardWriters() {}

  /**
   * @param out where the file's bytes go; the writer closes it
   * @param path the file's path relative to the content address, as the manifest records it
   */
  public static ShardWriter open(
      ShardFormat format, ShardOutput out, String path, SourceSchema schema, FormatOptions options)
      throws IOException {
    switch (format) {
      case PARQUET:
        return new ParquetShardWriter(
            out, path, schema, parquetCodec(options.parquetCompression()));
      case CSV_GZ:
        return new CsvShardWriter(out, path, schema, options.gzipLevel());
      case NDJSON_GZ:
        return new NdjsonShardWriter(out, path, schema, options.gzipLevel());
      default:
        throw new IllegalArgumentException("unknown format " + format);
    }
  }

  /** Checks a Parquet compression name; the manifest records it as given. */
  public static CompressionCodecName parquetCodec(String name) {
    switch (name) {
      case "zstd":
        return CompressionCodecName.ZSTD;
      case "snappy":
        return CompressionCodecName.SNAPPY;
      default:
        throw new IllegalArgumentException(
            "unknown Parquet compression '" + name + "' (zstd or snappy)");
    }
  }
}
