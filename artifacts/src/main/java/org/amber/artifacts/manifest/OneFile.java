package org.amber.artifacts.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * The one-file download of a format, as the build computed it: its length and SHA-256 are known up
 * front, so a server can send {@code Content-Length} and {@code Repr-Digest} before the first byte.
 *
 * @param bytes length of the assembled file
 * @param sha256 hex SHA-256 of the assembled file
 * @param footer Parquet only: the merged footer object that ends the assembled file
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OneFile(
    @JsonProperty("bytes") long bytes,
    @JsonProperty("sha256") String sha256,
    @JsonProperty("footer") FooterFile footer)
    implements Serializable {

  /**
   * The merged Parquet footer: every shard's row groups in shard order with their offsets shifted
   * to where they sit in the assembled file, followed by the footer length and {@code PAR1}.
   *
   * @param path relative to the content address, {@link #PATH}
   */
  public record FooterFile(
      @JsonProperty("path") String path,
      @JsonProperty("bytes") long bytes,
      @JsonProperty("sha256") String sha256)
      implements Serializable {
    public static final String PATH = "parquet/merged-footer.bin";
  }
}
