package org.amber.artifacts.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * How rows were split into shards.
 *
 * @param column the partition column, or null when the whole result is one partition
 * @param shards number of shards every format has
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Partitioning(
    @JsonProperty("column") String column, @JsonProperty("shards") int shards)
    implements Serializable {}
