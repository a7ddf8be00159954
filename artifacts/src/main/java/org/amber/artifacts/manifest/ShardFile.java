package org.amber.artifacts.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * One shard file of one format.
 *
 * @param path relative to the content address, e.g. {@code csv/part-00000-of-00008.csv.gz}
 * @param headerBytes CSV only: length of the first gzip member, which holds just the header line
 * @param footerBytes Parquet only: length of the file's tail after its last row-group byte (page
 *     indexes, footer, footer length and {@code PAR1}); bytes {@code [4, bytes - footerBytes)} are
 *     what the one-file download takes from this shard
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShardFile(
    @JsonProperty("path") String path,
    @JsonProperty("rows") long rows,
    @JsonProperty("bytes") long bytes,
    @JsonProperty("sha256") String sha256,
    @JsonProperty("header_bytes") Long headerBytes,
    @JsonProperty("footer_bytes") Long footerBytes)
    implements Serializable {}
