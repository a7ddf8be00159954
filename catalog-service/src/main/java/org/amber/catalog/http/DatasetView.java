package org.amber.catalog.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.amber.catalog.domain.DatasetService;
import org.amber.catalog.domain.model.BuildRequest;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Schedule;

/**
 * A dataset's definition as the API shows it; a list of datasets shows only this, one dataset also
 * its latest version ({@link DatasetResponse}).
 *
 * @param query absent (not null) when the dataset names a table, and {@code table} the other way
 */
record DatasetView(
    String name,
    String url,
    String source,
    @JsonInclude(JsonInclude.Include.NON_NULL) String query,
    @JsonInclude(JsonInclude.Include.NON_NULL) String table,
    List<String> formats,
    String partitionColumn,
    Integer partitions,
    String defaultTtl,
    String description,
    List<CreatorView> creators,
    String license,
    ScheduleView schedule,
    boolean adHoc,
    String createdAt,
    String updatedAt) {

  static String path(String name) {
    return "/v1/datasets/" + name;
  }

  /**
   * @param times when its timetable last ran and runs next; null when it has no schedule
   */
  static DatasetView of(DatasetDefinition d, DatasetService.ScheduleTimes times) {
    BuildRequest b = d.build();
    return new DatasetView(
        d.name(),
        path(d.name()),
        b.source(),
        b.query(),
        b.query() != null ? null : b.table(),
        b.formats(),
        b.partitionColumn(),
        b.partitions(),
        d.defaultTtl() == null ? null : d.defaultTtl().toString(),
        d.description(),
        d.creators().stream().map(CreatorView::of).toList(),
        d.license(),
        d.schedule() == null ? null : ScheduleView.of(d.schedule(), times),
        d.adHoc(),
        Json.time(d.createdAt()),
        Json.time(d.updatedAt()));
  }

  /** A credited person or organisation; the optional parts are left out rather than null. */
  record CreatorView(
      String name,
      @JsonInclude(JsonInclude.Include.NON_NULL) String affiliation,
      @JsonInclude(JsonInclude.Include.NON_NULL) String identifier) {

    static CreatorView of(DatasetDefinition.Creator c) {
      return new CreatorView(c.name(), c.affiliation(), c.identifier());
    }
  }

  /**
   * When scheduled builds run, how many completed versions they keep, how long their versions live,
   * and when the timetable last started a build and will next.
   *
   * @param nextRunAt null for a timetable that never runs again
   */
  record ScheduleView(
      String cron, String timeZone, int keepLast, String ttl, String lastRunAt, String nextRunAt) {

    static ScheduleView of(Schedule s, DatasetService.ScheduleTimes times) {
      return new ScheduleView(
          s.cron(),
          s.timeZone().getId(),
          s.keepLast(),
          s.ttl() == null ? null : s.ttl().toString(),
          times == null ? null : Json.time(times.lastRunAt()),
          times == null ? null : Json.time(times.nextRunAt()));
    }
  }
}
