package org.amber.catalog.domain;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.catalog.domain.model.BuildRequest;
import org.amber.catalog.domain.model.CatalogException;
import org.amber.catalog.domain.model.CatalogException.Part;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.schedule.NextRun;
import org.amber.catalog.domain.schedule.ScheduleChanges;
import org.amber.catalog.store.CatalogStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Defines, finds and deletes datasets, checking a definition fully before it is stored. */
public final class DatasetService {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetService.class);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");
  private static final Pattern TABLE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}(\\.[A-Za-z_][A-Za-z0-9_$]{0,62})?");
  public static final int MAX_PARTITIONS = 1024;
  private static final int MAX_TEXT = 10_000;

  private final CatalogStore store;
  private final SourceRegistry sources;
  private final SourceRoles roles;
  private final Clock clock;
  private final ScheduleChanges scheduleChanges;

  /**
   * @param scheduleChanges told of every definition stored or deleted, which may change a timetable
   */
  public DatasetService(
      CatalogStore store,
      SourceRegistry sources,
      SourceRoles roles,
      Clock clock,
      ScheduleChanges scheduleChanges) {
    this.store = store;
    this.sources = sources;
    this.roles = roles;
    this.clock = clock;
    this.scheduleChanges = scheduleChanges;
  }

  /** The result of {@link #define}: the stored definition and whether it is new. */
  public record Defined(DatasetDefinition definition, boolean created) {}

  public Defined define(String name, DatasetSpec spec) {
    requireName(name);
    return save(name, checkBuildRequest(spec), spec, false);
  }

  /**
   * Defines an auto-named dataset for {@code POST /v1/materialise}.
   *
   * @param build {@code spec}'s build request as {@link #checkBuildRequest} returned it (the name
   *     is derived from it), so the source is not asked twice
   */
  public Defined defineAdHoc(String name, BuildRequest build, DatasetSpec spec) {
    requireName(name);
    return save(name, build, spec, true);
  }

  private Defined save(String name, BuildRequest build, DatasetSpec spec, boolean adHoc) {
    String description = text(Part.DESCRIPTION, "description", spec.description());
    String license = text(Part.LICENSE, "license", spec.license());
    List<DatasetDefinition.Creator> creators =
        spec.creators() == null ? List.of() : spec.creators();
    for (DatasetDefinition.Creator creator : creators) {
      if (creator == null || creator.name() == null || creator.name().isBlank()) {
        throw CatalogException.invalid(Part.CREATORS, "every creator needs a name");
      }
    }
    Instant now = clock.instant();
    DatasetDefinition definition =
        new DatasetDefinition(
            name,
            build,
            spec.defaultTtl(),
            description,
            creators,
            license,
            spec.schedule(),
            adHoc,
            now,
            now);
    boolean created = store.saveDataset(definition);
    scheduleChanges.changed();
    return new Defined(store.findDataset(name).orElseThrow(), created);
  }

  /** When a scheduled dataset's timetable last started a build and when it will next. */
  public record ScheduleTimes(Instant lastRunAt, Instant nextRunAt) {}

  /**
   * @return null for a dataset without a schedule
   */
  public ScheduleTimes scheduleTimes(DatasetDefinition d) {
    if (d.schedule() == null) {
      return null;
    }
    Instant lastRun = store.lastScheduledRun(d.name()).orElse(null);
    Instant next = NextRun.of(d.schedule(), lastRun, clock.instant()).orElse(null);
    // Until its first run the stored time is when the timetable was set: not a run time.
    boolean ran = lastRun != null && NextRun.isRunTime(d.schedule(), lastRun);
    return new ScheduleTimes(ran ? lastRun : null, next);
  }

  public DatasetDefinition get(String name) {
    requireName(name);
    return store
        .findDataset(name)
        .orElseThrow(() -> CatalogException.notFound("no dataset named '" + name + "'"));
  }

  public List<DatasetDefinition> list(String afterName, int limit) {
    return store.listDatasets(afterName, limit);
  }

  public void delete(String name) {
    requireName(name);
    switch (store.deleteDataset(name, clock.instant())) {
      case NOT_FOUND:
        throw CatalogException.notFound("no dataset named '" + name + "'");
      case HAS_PINNED_VERSION:
        throw CatalogException.conflict(
            "dataset '" + name + "' has a pinned version; unpin it before deleting the dataset");
      case HAS_ACTIVE_BUILD:
        throw CatalogException.conflict(
            "dataset '" + name + "' has a build queued or running; cancel it first");
      default:
        break;
    }
    scheduleChanges.changed();
  }

  public static void requireName(String name) {
    try {
      DatasetLayout.requireDatasetName(name);
    } catch (IllegalArgumentException e) {
      throw CatalogException.invalid(Part.DATASET_NAME, e.getMessage());
    }
  }

  /** Checks what a build would read and write: source, query or table, formats, partitioning. */
  public BuildRequest checkBuildRequest(DatasetSpec spec) {
    if (spec.source() == null) {
      throw CatalogException.invalid(
          Part.SOURCE, "'source' is required: the name of a configured source");
    }
    Optional<SourceRegistry.Source> source = sources.find(spec.source());
    if (source.isEmpty()) {
      throw CatalogException.invalid(
          Part.SOURCE,
          "unknown source '" + spec.source() + "'; this server knows " + sources.names());
    }
    if ((spec.query() == null) == (spec.table() == null)) {
      throw CatalogException.invalid(Part.QUERY, "give exactly one of 'query' and 'table'");
    }
    try {
      roles.requireChecked(source.get());
    } catch (IllegalStateException e) {
      throw CatalogException.invalid(Part.SOURCE, e.getMessage());
    }
    String query = spec.query() == null ? null : checkQuery(source.get(), spec.query());
    if (spec.table() != null && !TABLE.matcher(spec.table()).matches()) {
      throw CatalogException.invalid(
          Part.TABLE,
          "'table' must be name or schema.name (letters, digits, _), got '" + spec.table() + "'");
    }
    List<String> formats;
    try {
      formats =
          spec.formats() == null
              ? List.of(ShardFormat.PARQUET.key())
              : ShardFormat.parseList(String.join(",", spec.formats())).stream()
                  .map(ShardFormat::key)
                  .toList();
    } catch (IllegalArgumentException e) {
      throw CatalogException.invalid(Part.FORMATS, e.getMessage());
    }
    if (spec.partitionColumn() != null && !IDENTIFIER.matcher(spec.partitionColumn()).matches()) {
      throw CatalogException.invalid(
          Part.PARTITION_COLUMN, "'partition_column' must be a plain column name");
    }
    if (spec.partitions() != null
        && (spec.partitions() < 1 || spec.partitions() > MAX_PARTITIONS)) {
      throw CatalogException.invalid(
          Part.PARTITIONS, "'partitions' must be between 1 and " + MAX_PARTITIONS);
    }
    return new BuildRequest(
        spec.source(), query, spec.table(), formats, spec.partitionColumn(), spec.partitions());
  }

  /**
   * A quick lexical answer for the obvious cases, then the one that decides: the source's own
   * parser must read the query as a single subquery ({@link SourceRegistry#checkQuery}).
   */
  private String checkQuery(SourceRegistry.Source source, String query) {
    try {
      ReadOnlyQuery.normalise(query);
      return sources.checkQuery(source, query);
    } catch (IllegalArgumentException e) {
      throw CatalogException.invalid(Part.QUERY, e.getMessage());
    } catch (SQLException e) {
      // The driver's words may name hosts and ports: for the log, not for the client.
      LOG.warn("cannot check a query on source '{}': {}", source.name(), e.getMessage());
      throw CatalogException.invalid(
          Part.SOURCE,
          "cannot reach source '" + source.name() + "' to check the query; try again later");
    }
  }

  /**
   * @param word what the refusal calls the text
   */
  private static String text(Part part, String word, String value) {
    if (value != null && value.length() > MAX_TEXT) {
      throw CatalogException.invalid(
          part, "'" + word + "' is longer than " + MAX_TEXT + " characters");
    }
    return value;
  }
}
