package org.amber.catalog.http;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import org.amber.catalog.domain.DatasetSpec;
import org.amber.catalog.domain.model.DatasetDefinition.Creator;

/**
 * The body of {@code POST /v1/materialise}: what to build, for how long to keep it, and how old a
 * version may be to be reused instead.
 */
record MaterialiseRequest(
    String source,
    String query,
    String table,
    @JsonDeserialize(using = FormatsDeserializer.class) List<String> formats,
    String partitionColumn,
    Integer partitions,
    String ttl,
    String maxStaleness,
    String description,
    @JsonDeserialize(using = CreatorsDeserializer.class) List<Creator> creators,
    String license) {

  /** The ad-hoc dataset to define: no default TTL and no timetable of its own. */
  DatasetSpec spec() {
    return new DatasetSpec(
        source,
        query,
        table,
        formats,
        partitionColumn,
        partitions,
        null,
        description,
        creators,
        license,
        null);
  }
}
