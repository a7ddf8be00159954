package org.amber.catalog.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import org.amber.catalog.domain.DatasetSpec;
import org.amber.catalog.domain.model.DatasetDefinition.Creator;

/** The body of {@code PUT /v1/datasets/{name}}: a dataset definition. Null means "not given". */
record DatasetRequest(
    String source,
    String query,
    String table,
    @JsonDeserialize(using = FormatsDeserializer.class) List<String> formats,
    String partitionColumn,
    Integer partitions,
    String defaultTtl,
    String description,
    @JsonDeserialize(using = CreatorsDeserializer.class) List<Creator> creators,
    String license,
    ScheduleRequest schedule) {

  /** The definition with its values parsed. */
  DatasetSpec spec() {
    return new DatasetSpec(
        source,
        query,
        table,
        formats,
        partitionColumn,
        partitions,
        RequestFields.ttl("default_ttl", defaultTtl),
        description,
        creators,
        license,
        RequestFields.schedule(schedule));
  }

  /**
   * A timetable: a cron expression, the time zone it is read in, how many completed versions to
   * keep and how long the versions it starts live.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record ScheduleRequest(String cron, String timeZone, Integer keepLast, String ttl) {}
}
