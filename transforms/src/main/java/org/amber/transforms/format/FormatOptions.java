package org.amber.transforms.format;

import java.io.Serializable;

/**
 * How the formats encode: Parquet's column codec and the gzip level of CSV and NDJSON. Both change
 * the bytes, and so the content digest: builds that should share an address must use the same
 * options.
 *
 * @param parquetCompression {@code zstd} (default) or {@code snappy}
 * @param gzipLevel 1 (fastest) to 9 (smallest); 6 is gzip's own default
 */
public record FormatOptions(String parquetCompression, int gzipLevel) implements Serializable {
  public static final FormatOptions DEFAULT = new FormatOptions("zstd", 6);

  public FormatOptions {
    ShardWriters.parquetCodec(parquetCompression);
    if (gzipLevel < 1 || gzipLevel > 9) {
      throw new IllegalArgumentException("--gzip-level must be 1 to 9, got " + gzipLevel);
    }
  }
}
