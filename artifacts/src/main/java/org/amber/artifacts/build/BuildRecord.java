package org.amber.artifacts.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;

/**
 * Provenance of one build: {@code <root>/<dataset>/builds/<build-id>.json}. Unlike the manifest it
 * records when, where and how the content was read, so it is not part of the digest.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildRecord(
    @JsonProperty("build_id") String buildId,
    @JsonProperty("dataset") String dataset,
    @JsonProperty("source") Source source,
    @JsonProperty("sql") String sql,
    @JsonProperty("snapshot") Snapshot snapshot,
    @JsonProperty("partition_plan") List<Shard> partitionPlan,
    @JsonProperty("formats") List<String> formats,
    @JsonProperty("started_at") String startedAt,
    @JsonProperty("finished_at") String finishedAt,
    @JsonProperty("runner") String runner,
    @JsonProperty("job_id") String jobId,
    @JsonProperty("rows") long rows,
    @JsonProperty("bytes") long bytes,
    @JsonProperty("content_digest") String contentDigest,
    @JsonProperty("address") String address,
    @JsonProperty("manifest") String manifest,
    @JsonProperty("reused_existing_address") boolean reusedExistingAddress,
    @JsonProperty("amber_version") String amberVersion,
    @JsonProperty("beam_version") String beamVersion)
    implements Serializable {

  /** This record with the outcome of a committed build filled in. */
  public BuildRecord completed(
      String finishedAt,
      long rows,
      long bytes,
      String contentDigest,
      String address,
      String manifest,
      boolean reusedExistingAddress) {
    return new BuildRecord(
        buildId,
        dataset,
        source,
        sql,
        snapshot,
        partitionPlan,
        formats,
        startedAt,
        finishedAt,
        runner,
        jobId,
        rows,
        bytes,
        contentDigest,
        address,
        manifest,
        reusedExistingAddress,
        amberVersion,
        beamVersion);
  }

  /**
   * The database read from.
   *
   * @param url the JDBC URL without password
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(
      @JsonProperty("kind") String kind,
      @JsonProperty("server_version") String serverVersion,
      @JsonProperty("url") String url)
      implements Serializable {}

  /**
   * The point in time that was read.
   *
   * @param consistency {@code snapshot} when every partition read the same snapshot, else {@code
   *     none}
   * @param lsn WAL position at export ({@code pg_current_wal_lsn()}, or replay LSN on a standby)
   * @param txidSnapshot {@code txid_current_snapshot()}: xmin:xmax:xip-list
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Snapshot(
      @JsonProperty("strategy") String strategy,
      @JsonProperty("consistency") String consistency,
      @JsonProperty("id") String id,
      @JsonProperty("lsn") String lsn,
      @JsonProperty("txid_snapshot") String txidSnapshot)
      implements Serializable {}

  /** One partition: which rows shard {@code shard} holds. */
  public record Shard(@JsonProperty("shard") int shard, @JsonProperty("predicate") String predicate)
      implements Serializable {}
}
