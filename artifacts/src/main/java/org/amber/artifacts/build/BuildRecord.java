package org.amber.artifacts.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;
import org.amber.artifacts.changes.Changes;

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
    @JsonProperty("partitioning") Partitioning partitioning,
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
    @JsonProperty("beam_version") String beamVersion,
    @JsonProperty("changes") Changes changes)
    implements Serializable {

  /**
   * This record with the changes against an earlier version ({@code --compare-with}), found after
   * the commit.
   */
  public BuildRecord withChanges(Changes changes) {
    Builder b = toBuilder();
    b.changes = changes;
    return b.build();
  }

  /** This record with the outcome of a committed build filled in. */
  public BuildRecord completed(
      String finishedAt,
      long rows,
      long bytes,
      String contentDigest,
      String address,
      String manifest,
      boolean reusedExistingAddress) {
    Builder b = toBuilder();
    b.finishedAt = finishedAt;
    b.rows = rows;
    b.bytes = bytes;
    b.contentDigest = contentDigest;
    b.address = address;
    b.manifest = manifest;
    b.reusedExistingAddress = reusedExistingAddress;
    return b.build();
  }

  /**
   * A builder for the draft a build starts with: what it reads and how. The outcome is added by
   * {@link #completed} once the content is committed.
   *
   * <pre>{@code
   * BuildRecord draft =
   *     BuildRecord.builder()
   *         .buildId("b-1").dataset("compound").source(source).sql("SELECT * FROM compound")
   *         .snapshot(snapshot).partitionPlan(plan).formats(List.of("parquet"))
   *         .startedAt(Instant.now().toString()).runner("DirectRunner", jobName)
   *         .versions(amberVersion, beamVersion)
   *         .build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this record. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.buildId = buildId;
    b.dataset = dataset;
    b.source = source;
    b.sql = sql;
    b.snapshot = snapshot;
    b.partitioning = partitioning;
    b.partitionPlan = partitionPlan;
    b.formats = formats;
    b.startedAt = startedAt;
    b.finishedAt = finishedAt;
    b.runner = runner;
    b.jobId = jobId;
    b.rows = rows;
    b.bytes = bytes;
    b.contentDigest = contentDigest;
    b.address = address;
    b.manifest = manifest;
    b.reusedExistingAddress = reusedExistingAddress;
    b.amberVersion = amberVersion;
    b.beamVersion = beamVersion;
    b.changes = changes;
    return b;
  }

  /** Builds a {@link BuildRecord}; the outcome fields are set by {@link #completed}. */
  public static final class Builder {
    private String buildId;
    private String dataset;
    private Source source;
    private String sql;
    private Snapshot snapshot;
    private Partitioning partitioning;
    private List<Shard> partitionPlan;
    private List<String> formats;
    private String startedAt;
    private String finishedAt;
    private String runner;
    private String jobId;
    private long rows;
    private long bytes;
    private String contentDigest;
    private String address;
    private String manifest;
    private boolean reusedExistingAddress;
    private String amberVersion;
    private String beamVersion;
    private Changes changes;

    private Builder() {}

    public Builder buildId(String buildId) {
      this.buildId = buildId;
      return this;
    }

    public Builder dataset(String dataset) {
      this.dataset = dataset;
      return this;
    }

    public Builder source(Source source) {
      this.source = source;
      return this;
    }

    public Builder sql(String sql) {
      this.sql = sql;
      return this;
    }

    public Builder snapshot(Snapshot snapshot) {
      this.snapshot = snapshot;
      return this;
    }

    public Builder partitioning(Partitioning partitioning) {
      this.partitioning = partitioning;
      return this;
    }

    public Builder partitionPlan(List<Shard> partitionPlan) {
      this.partitionPlan = partitionPlan;
      return this;
    }

    public Builder formats(List<String> formats) {
      this.formats = formats;
      return this;
    }

    public Builder startedAt(String startedAt) {
      this.startedAt = startedAt;
      return this;
    }

    /** The runner's short name ({@code DirectRunner}, {@code DataflowRunner}) and job name. */
    public Builder runner(String runner, String jobId) {
      this.runner = runner;
      this.jobId = jobId;
      return this;
    }

    /** Amber's and Beam's versions. */
    public Builder versions(String amberVersion, String beamVersion) {
      this.amberVersion = amberVersion;
      this.beamVersion = beamVersion;
      return this;
    }

    public BuildRecord build() {
      return new BuildRecord(
          buildId,
          dataset,
          source,
          sql,
          snapshot,
          partitioning,
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
          beamVersion,
          changes);
    }
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

  /**
   * How the rows were split: the manifest's {@code partitioning} says into how many shards, this
   * says how the boundaries were chosen, which depends on the server as well as the data (so it is
   * kept here, not in the content's digest).
   *
   * @param strategy {@code range} (numeric, date or timestamp key), {@code quantiles} (uuid or text
   *     key), {@code ctid} (physical ranges of a table with no usable key) or {@code single}
   * @param column the partition column, or null
   * @param note why the table was read as one partition when it was to be split, or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Partitioning(
      @JsonProperty("strategy") String strategy,
      @JsonProperty("column") String column,
      @JsonProperty("shards") int shards,
      @JsonProperty("note") String note)
      implements Serializable {}

  /** One partition: which rows shard {@code shard} holds. */
  public record Shard(@JsonProperty("shard") int shard, @JsonProperty("predicate") String predicate)
      implements Serializable {}
}
