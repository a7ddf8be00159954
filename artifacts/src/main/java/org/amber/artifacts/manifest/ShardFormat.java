package org.amber.artifacts.manifest;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The file formats a build can write. Each has a manifest key ({@code "csv.gz"}), a folder under
 * the content address ({@code csv/}) and a file extension.
 */
public enum ShardFormat {
  PARQUET("parquet", "parquet", ".parquet"),
  CSV_GZ("csv.gz", "csv", ".csv.gz"),
  NDJSON_GZ("ndjson.gz", "ndjson", ".ndjson.gz");

  private final String key;
  private final String folder;
  private final String extension;

  ShardFormat(String key, String folder, String extension) {
    this.key = key;
    this.folder = folder;
    this.extension = extension;
  }

  /** The name used on the command line, in the API and as the manifest's {@code formats} key. */
  public String key() {
    return key;
  }

  public String folder() {
    return folder;
  }

  public String extension() {
    return extension;
  }

  /** Path of shard {@code index} of {@code shards}, relative to the content address. */
  public String shardPath(int index, int shards) {
    return String.format("%s/part-%05d-of-%05d%s", folder, index, shards, extension);
  }

  public static ShardFormat fromKey(String key) {
    for (ShardFormat format : values()) {
      if (format.key.equals(key.trim())) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "unknown format '" + key + "' (expected one of " + keys() + ")");
  }

  /** Parses a comma-separated list such as {@code parquet,csv.gz}; order and duplicates ignored. */
  public static List<ShardFormat> parseList(String commaSeparated) {
    List<ShardFormat> formats =
        Arrays.stream(commaSeparated.split(","))
            .filter(s -> !s.isBlank())
            .map(ShardFormat::fromKey)
            .distinct()
            .sorted()
            .collect(Collectors.toList());
    if (formats.isEmpty()) {
      throw new IllegalArgumentException("no format given (expected some of " + keys() + ")");
    }
    return formats;
  }

  private static String keys() {
    return Arrays.stream(values()).map(ShardFormat::key).collect(Collectors.joining(", "));
  }
}
