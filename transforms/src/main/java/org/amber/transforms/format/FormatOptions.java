package org.amber.transforms.format;

import java.io.Serializable;

/**
 * How the formats encode: Parquet's column codec and the gzip level of CSV and NDJSON. Both change
 * the bytes, and so the content digest: builds that should share an address must use the same
 * options.
 *
 * @param parquetCompression {@code zstd} (default) or {@code snappy}
 * @param gzipLevel 1 (fastest) to 9 (smallest). The default is 4, not gzip's own 6: on typical CSV
 *     (5M demo rows) zlib's level 4 takes half the CPU of level 6 for files about 3% larger, and
 *     deflate is most of a CSV.gz build's CPU.
 */
public record FormatOptions(String parquetCompression, int gzipLevel) implements Serializable {
  public static final FormatOptions DEFAULT = new FormatOptions("zstd", 4);

  public FormatOptions {
    ShardWriters.parquetCodec(parquetCompression);
    if (gzipLevel < 1 || gzipLevel > 9) {
      throw new IllegalArgumentException("--gzip-level must be 1 to 9, got " + gzipLevel);
    }
  }
}
