package org.amber.catalog.domain;

import java.util.List;
import org.amber.catalog.domain.model.DatasetDefinition;

/**
 * A dataset definition as a client sent it, not yet checked. Null means "not given".
 *
 * @param defaultTtl an ISO-8601 duration
 */
public record DatasetSpec(
    String source,
    String query,
    String table,
    List<String> formats,
    String partitionColumn,
    Integer partitions,
    String defaultTtl,
    String description,
    List<DatasetDefinition.Creator> creators,
    String license,
    ScheduleSpec schedule) {

  /** A timetable as sent: a cron expression and how many completed versions to keep. */
  public record ScheduleSpec(String cron, Integer keepLast) {}
}
