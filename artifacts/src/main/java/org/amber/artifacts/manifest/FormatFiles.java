package org.amber.artifacts.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;

/**
 * The shard files of one format, in shard order.
 *
 * @param compression Parquet only: the column compression codec ({@code zstd}, {@code snappy})
 * @param download the one-file download assembled from these shards (see {@link
 *     org.amber.artifacts.download.OneFilePlan}); absent in manifests written before it existed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FormatFiles(
    @JsonProperty("files") List<ShardFile> files,
    @JsonProperty("compression") String compression,
    @JsonProperty("download") OneFile download)
    implements Serializable {

  public FormatFiles {
    files = List.copyOf(files);
  }

  public long rows() {
    return files.stream().mapToLong(ShardFile::rows).sum();
  }

  public long bytes() {
    return files.stream().mapToLong(ShardFile::bytes).sum();
  }
}
