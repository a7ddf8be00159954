package org.amber.catalog.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.amber.catalog.domain.model.BuildError;
import org.amber.catalog.domain.model.BuildRequest;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Progress;
import org.amber.catalog.domain.model.ReleaseNotes;
import org.amber.catalog.domain.model.Schedule;
import org.amber.catalog.domain.model.Scope;
import org.amber.catalog.domain.model.Ttl;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.domain.model.VersionKey;
import org.amber.catalog.domain.model.VersionStatus;

/** {@link CatalogStore} in PostgreSQL, with the schema Flyway keeps in {@code db/migration}. */
public final class PostgresCatalogStore implements CatalogStore {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<List<DatasetDefinition.Creator>> CREATORS =
      new TypeReference<>() {};

  private static final String DATASET_COLUMNS =
      "name, source, query, table_name, formats, partition_column, partitions, default_ttl,"
          + " description, creators, license, schedule_cron, schedule_time_zone, schedule_keep_last,"
          + " schedule_ttl, ad_hoc, created_at, updated_at";
  private static final String VERSION_COLUMNS =
      "dataset, version, build_id, status, request, request_key, ttl, partitions_done,"
          + " partitions_total, rows, bytes, created_at, started_at, finished_at, expires_at,"
          + " status_changed_at, pinned, content_digest, address, manifest_uri, build_record_uri,"
          + " manifest, error_type, error_message, pid, job, files_deleted_at, scheduled_for, unchanged,"
          + " release_notes";

  /** Versions whose content must stay on disk. */
  private static final String LIVE = "(status = 'COMPLETED' OR pinned)";

  private final DataSource dataSource;

  public PostgresCatalogStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  // Datasets

  @Override
  public Optional<DatasetDefinition> findDataset(String name) {
    return queryOne(
        "SELECT " + DATASET_COLUMNS + " FROM datasets WHERE name = ? AND deleted_at IS NULL",
        this::dataset,
        name);
  }

  @Override
  public boolean saveDataset(DatasetDefinition d) {
    return inTransaction(
        c -> {
          boolean existed;
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT deleted_at IS NULL FROM datasets WHERE name = ? FOR UPDATE")) {
            s.setString(1, d.name());
            try (ResultSet r = s.executeQuery()) {
              existed = r.next() && r.getBoolean(1);
            }
          }
          BuildRequest b = d.build();
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO datasets (name, source, query, table_name, formats, partition_column,"
                      + " partitions, default_ttl, description, creators, license, schedule_cron,"
                      + " schedule_time_zone, schedule_keep_last, schedule_ttl, ad_hoc,"
                      + " last_scheduled_run, created_at, updated_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (name) DO UPDATE SET source = excluded.source,"
                      + " query = excluded.query, table_name = excluded.table_name,"
                      + " formats = excluded.formats, partition_column = excluded.partition_column,"
                      + " partitions = excluded.partitions, default_ttl = excluded.default_ttl,"
                      + " description = excluded.description, creators = excluded.creators,"
                      + " license = excluded.license, schedule_cron = excluded.schedule_cron,"
                      + " schedule_time_zone = excluded.schedule_time_zone,"
                      + " schedule_keep_last = excluded.schedule_keep_last,"
                      + " schedule_ttl = excluded.schedule_ttl,"
                      + " ad_hoc = excluded.ad_hoc, updated_at = excluded.updated_at,"
                      + " last_scheduled_run = CASE WHEN datasets.schedule_cron"
                      + "   IS NOT DISTINCT FROM excluded.schedule_cron AND datasets.schedule_time_zone"
                      + "   IS NOT DISTINCT FROM excluded.schedule_time_zone AND datasets.deleted_at IS NULL"
                      + "   THEN datasets.last_scheduled_run ELSE excluded.last_scheduled_run END,"
                      + " created_at = CASE WHEN datasets.deleted_at IS NULL"
                      + "   THEN datasets.created_at ELSE excluded.created_at END,"
                      + " deleted_at = NULL")) {
            int i = 0;
            s.setString(++i, d.name());
            s.setString(++i, b.source());
            s.setString(++i, b.query());
            s.setString(++i, b.table());
            s.setArray(++i, c.createArrayOf("text", b.formats().toArray()));
            s.setString(++i, b.partitionColumn());
            setInteger(s, ++i, b.partitions());
            s.setString(++i, d.defaultTtl() == null ? null : d.defaultTtl().toString());
            s.setString(++i, d.description());
            s.setString(++i, json(d.creators()));
            s.setString(++i, d.license());
            Schedule schedule = d.schedule();
            s.setString(++i, schedule == null ? null : schedule.cron());
            s.setString(++i, schedule == null ? null : schedule.timeZone().getId());
            setInteger(s, ++i, schedule == null ? null : schedule.keepLast());
            s.setString(
                ++i, schedule == null || schedule.ttl() == null ? null : schedule.ttl().toString());
            s.setBoolean(++i, d.adHoc());
            // A new timetable starts counting now rather than firing for runs it never had.
            s.setTimestamp(++i, d.schedule() == null ? null : timestamp(d.updatedAt()));
            s.setTimestamp(++i, timestamp(d.createdAt()));
            s.setTimestamp(++i, timestamp(d.updatedAt()));
            s.executeUpdate();
          }
          return !existed;
        });
  }

  @Override
  public List<DatasetDefinition> listDatasets(String afterName, int limit) {
    return queryList(
        "SELECT "
            + DATASET_COLUMNS
            + " FROM datasets WHERE deleted_at IS NULL AND name > ? ORDER BY name LIMIT ?",
        this::dataset,
        afterName == null ? "" : afterName,
        limit);
  }

  @Override
  public DatasetDeletion deleteDataset(String name, Instant now) {
    return inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT 1 FROM datasets WHERE name = ? AND deleted_at IS NULL FOR UPDATE")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
              if (!r.next()) {
                return DatasetDeletion.NOT_FOUND;
              }
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT bool_or(pinned), bool_or(status IN ('PENDING', 'QUEUED', 'EXECUTING'))"
                      + " FROM versions WHERE dataset = ? AND status <> 'DELETED'")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              if (r.getBoolean(1)) {
                return DatasetDeletion.HAS_PINNED_VERSION;
              }
              if (r.getBoolean(2)) {
                return DatasetDeletion.HAS_ACTIVE_BUILD;
              }
            }
          }
          update(
              c,
              "UPDATE versions SET status = 'DELETED', status_changed_at = ?"
                  + " WHERE dataset = ? AND status <> 'DELETED'",
              timestamp(now),
              name);
          update(c, "UPDATE datasets SET deleted_at = ? WHERE name = ?", timestamp(now), name);
          return DatasetDeletion.DELETED;
        });
  }

  @Override
  public Optional<Instant> lastScheduledRun(String dataset) {
    return queryOne(
        "SELECT last_scheduled_run FROM datasets WHERE name = ? AND last_scheduled_run IS NOT NULL",
        r -> instant(r, 1),
        dataset);
  }

  @Override
  public List<ScheduledDataset> scheduledDatasets() {
    return queryList(
        "SELECT "
            + DATASET_COLUMNS
            + ", last_scheduled_run FROM datasets"
            + " WHERE deleted_at IS NULL AND schedule_cron IS NOT NULL ORDER BY name",
        r -> new ScheduledDataset(dataset(r), instant(r, "last_scheduled_run")));
  }

  @Override
  public Optional<BuildStart> startScheduledBuild(
      DatasetDefinition definition,
      Instant slot,
      String requestKey,
      Ttl ttl,
      IntFunction<String> buildIdFor,
      Instant now) {
    return inTransaction(
        c -> {
          // The claim: a conditional update under the dataset's row lock. A second instance
          // claiming the same run waits for this transaction, then finds the run taken.
          int claimed =
              update(
                  c,
                  "UPDATE datasets SET last_scheduled_run = ? WHERE name = ?"
                      + " AND deleted_at IS NULL AND updated_at = ?"
                      + " AND coalesce(last_scheduled_run, '-infinity') < ?",
                  timestamp(slot),
                  definition.name(),
                  timestamp(definition.updatedAt()),
                  timestamp(slot));
          if (claimed != 1) {
            return Optional.empty();
          }
          return Optional.of(
              startBuild(
                  c,
                  definition.name(),
                  definition.build(),
                  requestKey,
                  ttl,
                  buildIdFor,
                  now,
                  slot));
        });
  }

  // Versions

  @Override
  public BuildStart startBuild(
      String dataset,
      BuildRequest request,
      String requestKey,
      Ttl ttl,
      IntFunction<String> buildIdFor,
      Instant now) {
    return inTransaction(
        c -> startBuild(c, dataset, request, requestKey, ttl, buildIdFor, now, null));
  }

  /**
   * @param scheduledFor the timetable run the build is for, or null
   */
  private BuildStart startBuild(
      Connection c,
      String dataset,
      BuildRequest request,
      String requestKey,
      Ttl ttl,
      IntFunction<String> buildIdFor,
      Instant now,
      Instant scheduledFor)
      throws SQLException {
    int number;
    // The dataset row lock serialises concurrent starts of one dataset.
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT next_version FROM datasets WHERE name = ? AND deleted_at IS NULL"
                + " FOR UPDATE")) {
      s.setString(1, dataset);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw new IllegalStateException("dataset " + dataset + " does not exist");
        }
        number = r.getInt(1);
      }
    }
    Optional<Version> active =
        queryOne(
            c,
            "SELECT "
                + VERSION_COLUMNS
                + " FROM versions WHERE dataset = ? AND request_key = ?"
                + " AND status IN ('PENDING', 'QUEUED', 'EXECUTING')",
            this::version,
            dataset,
            requestKey);
    if (active.isPresent()) {
      return new BuildStart(active.get(), false);
    }
    update(c, "UPDATE datasets SET next_version = ? WHERE name = ?", number + 1, dataset);
    update(
        c,
        "INSERT INTO versions (dataset, version, build_id, status, request, request_key, ttl,"
            + " created_at, status_changed_at, scheduled_for)"
            + " VALUES (?, ?, ?, 'QUEUED', ?::jsonb, ?, ?, ?, ?, ?)",
        dataset,
        number,
        buildIdFor.apply(number),
        json(request),
        requestKey,
        ttl == null ? null : ttl.toString(),
        timestamp(now),
        timestamp(now),
        timestamp(scheduledFor));
    Version created =
        queryOne(
                c,
                "SELECT " + VERSION_COLUMNS + " FROM versions WHERE dataset = ? AND version = ?",
                this::version,
                dataset,
                number)
            .orElseThrow();
    return new BuildStart(created, true);
  }

  @Override
  public Optional<Version> findVersion(VersionKey key) {
    return queryOne(
        "SELECT " + VERSION_COLUMNS + " FROM versions WHERE dataset = ? AND version = ?",
        this::version,
        key.dataset(),
        key.number());
  }

  @Override
  public Optional<Version> latestCompleted(String dataset) {
    return queryOne(
        "SELECT "
            + VERSION_COLUMNS
            + " FROM versions WHERE dataset = ? AND status = 'COMPLETED'"
            + " ORDER BY version DESC LIMIT 1",
        this::version,
        dataset);
  }

  @Override
  public Optional<Version> freshestCompleted(String dataset, String requestKey, Instant notBefore) {
    return queryOne(
        "SELECT "
            + VERSION_COLUMNS
            + " FROM versions WHERE dataset = ? AND request_key = ? AND status = 'COMPLETED'"
            + " AND finished_at >= ? ORDER BY version DESC LIMIT 1",
        this::version,
        dataset,
        requestKey,
        timestamp(notBefore));
  }

  @Override
  public List<Version> listVersions(String dataset, Integer beforeNumber, int limit) {
    return queryList(
        "SELECT "
            + VERSION_COLUMNS
            + " FROM versions WHERE dataset = ? AND version < ? ORDER BY version DESC LIMIT ?",
        this::version,
        dataset,
        beforeNumber == null ? Integer.MAX_VALUE : beforeNumber,
        limit);
  }

  @Override
  public List<Version> versionsIn(Set<VersionStatus> statuses) {
    return queryList(
        "SELECT "
            + VERSION_COLUMNS
            + " FROM versions WHERE status = ANY (?) ORDER BY created_at, dataset, version",
        this::version,
        statusArray(statuses));
  }

  @Override
  public Optional<Version> claimNextQueued(Instant now) {
    return inTransaction(
        c ->
            queryOne(
                c,
                "UPDATE versions SET status = 'EXECUTING', started_at = ?, status_changed_at = ?"
                    + " WHERE (dataset, version) = (SELECT dataset, version FROM versions"
                    + "   WHERE status = 'QUEUED' ORDER BY created_at, dataset, version"
                    + "   LIMIT 1 FOR UPDATE SKIP LOCKED)"
                    + " RETURNING "
                    + VERSION_COLUMNS,
                this::version,
                timestamp(now),
                timestamp(now)));
  }

  @Override
  public boolean changeStatus(
      VersionKey key, Set<VersionStatus> expected, VersionStatus to, Instant now) {
    return updateOne(
        "UPDATE versions SET status = ?, status_changed_at = ?"
            + " WHERE dataset = ? AND version = ? AND status = ANY (?)",
        to.name(),
        timestamp(now),
        key.dataset(),
        key.number(),
        statusArray(expected));
  }

  @Override
  public void recordPid(VersionKey key, long pid) {
    updateOne(
        "UPDATE versions SET pid = ? WHERE dataset = ? AND version = ?",
        pid,
        key.dataset(),
        key.number());
  }

  @Override
  public void recordJob(VersionKey key, String job) {
    updateOne(
        "UPDATE versions SET job = ? WHERE dataset = ? AND version = ?",
        job,
        key.dataset(),
        key.number());
  }

  @Override
  public void recordProgress(VersionKey key, Progress p) {
    updateOne(
        "UPDATE versions SET partitions_done = ?, partitions_total = ?, rows = ?, bytes = ?"
            + " WHERE dataset = ? AND version = ? AND status = 'EXECUTING'",
        p.partitionsDone(),
        p.partitionsTotal(),
        p.rows(),
        p.bytes(),
        key.dataset(),
        key.number());
  }

  @Override
  public boolean complete(VersionKey key, Completion done) {
    Progress p = done.progress();
    return updateOne(
        "UPDATE versions SET status = 'COMPLETED', status_changed_at = ?, finished_at = ?,"
            + " expires_at = ?, content_digest = ?, address = ?, manifest_uri = ?,"
            + " build_record_uri = ?, manifest = ?, partitions_done = ?, partitions_total = ?,"
            + " rows = ?, bytes = ?, pid = NULL, release_notes = ?::jsonb,"
            // Compared in the same statement, so the previous version cannot change in between.
            + " unchanged = coalesce((SELECT p.content_digest = ? FROM versions p"
            + "   WHERE p.dataset = versions.dataset AND p.version < versions.version"
            + "   AND p.status = 'COMPLETED' ORDER BY p.version DESC LIMIT 1), false)"
            + " WHERE dataset = ? AND version = ? AND status = 'EXECUTING'",
        timestamp(done.finishedAt()),
        timestamp(done.finishedAt()),
        timestamp(done.expiresAt()),
        done.contentDigest(),
        done.address(),
        done.manifestUri(),
        done.buildRecordUri(),
        done.manifestJson(),
        p.partitionsDone(),
        p.partitionsTotal(),
        p.rows(),
        p.bytes(),
        done.releaseNotes() == null ? null : json(done.releaseNotes()),
        done.contentDigest(),
        key.dataset(),
        key.number());
  }

  @Override
  public boolean fail(
      VersionKey key,
      Set<VersionStatus> expected,
      VersionStatus to,
      BuildError error,
      Instant now) {
    return updateOne(
        "UPDATE versions SET status = ?, status_changed_at = ?, finished_at = ?,"
            + " error_type = ?, error_message = ?, pid = NULL"
            + " WHERE dataset = ? AND version = ? AND status = ANY (?)",
        to.name(),
        timestamp(now),
        timestamp(now),
        error == null ? null : error.type(),
        error == null ? null : error.message(),
        key.dataset(),
        key.number(),
        statusArray(expected));
  }

  @Override
  public boolean setPinned(VersionKey key, boolean pinned) {
    return updateOne(
        "UPDATE versions SET pinned = ? WHERE dataset = ? AND version = ? AND status = 'COMPLETED'",
        pinned,
        key.dataset(),
        key.number());
  }

  @Override
  public boolean setExpiresAt(VersionKey key, Instant expiresAt) {
    return updateOne(
        "UPDATE versions SET expires_at = ?"
            + " WHERE dataset = ? AND version = ? AND status = 'COMPLETED'",
        timestamp(expiresAt),
        key.dataset(),
        key.number());
  }

  @Override
  public boolean markDeleted(VersionKey key, Instant now) {
    return updateOne(
        "UPDATE versions SET status = 'DELETED', status_changed_at = ?"
            + " WHERE dataset = ? AND version = ? AND NOT pinned"
            + " AND status IN ('COMPLETED', 'ERROR', 'ABORTED', 'EXPIRED')",
        timestamp(now),
        key.dataset(),
        key.number());
  }

  // Lifecycle

  @Override
  public List<VersionKey> expireDue(Instant now) {
    return inTransaction(
        c ->
            queryList(
                c,
                "UPDATE versions SET status = 'EXPIRED', status_changed_at = ?"
                    + " WHERE status = 'COMPLETED' AND NOT pinned AND expires_at <= ?"
                    + " RETURNING dataset, version",
                r -> new VersionKey(r.getString(1), r.getInt(2)),
                timestamp(now),
                timestamp(now)));
  }

  @Override
  public List<VersionKey> expireBeyond(String dataset, int keepLast, Instant now) {
    return inTransaction(
        c ->
            queryList(
                c,
                "UPDATE versions SET status = 'EXPIRED', status_changed_at = ?, expires_at = ?"
                    + " WHERE dataset = ? AND status = 'COMPLETED' AND NOT pinned"
                    + " AND version < (SELECT coalesce(min(version), 0) FROM (SELECT version"
                    + "   FROM versions WHERE dataset = ? AND status = 'COMPLETED'"
                    + "   ORDER BY version DESC LIMIT ?) AS kept)"
                    + " RETURNING dataset, version",
                r -> new VersionKey(r.getString(1), r.getInt(2)),
                timestamp(now),
                timestamp(now),
                dataset,
                dataset,
                keepLast));
  }

  @Override
  public List<ContentRef> releasableContent(Instant tombstonedBefore) {
    return queryList(
        "SELECT DISTINCT t.dataset, t.address FROM versions t"
            + " WHERE t.status IN ('EXPIRED', 'DELETED') AND t.address IS NOT NULL"
            + " AND t.files_deleted_at IS NULL AND t.status_changed_at <= ?"
            + " AND NOT EXISTS (SELECT 1 FROM versions l WHERE l.dataset = t.dataset"
            + "   AND l.address = t.address AND "
            + LIVE.replace("status", "l.status").replace("pinned", "l.pinned")
            + ")"
            // A build running for the dataset may be about to reuse the address.
            + " AND NOT EXISTS (SELECT 1 FROM versions a WHERE a.dataset = t.dataset"
            + "   AND a.status = 'EXECUTING') ORDER BY 1, 2",
        r -> new ContentRef(r.getString(1), r.getString(2)),
        timestamp(tombstonedBefore));
  }

  @Override
  public boolean isReferencedByLiveVersion(ContentRef content) {
    return queryOne(
            "SELECT 1 FROM versions WHERE dataset = ? AND address = ? AND " + LIVE + " LIMIT 1",
            r -> true,
            content.dataset(),
            content.address())
        .isPresent();
  }

  @Override
  public void markFilesDeleted(ContentRef content, Instant now) {
    inTransaction(
        c ->
            update(
                c,
                "UPDATE versions SET files_deleted_at = ? WHERE dataset = ? AND address = ?"
                    + " AND status IN ('EXPIRED', 'DELETED') AND files_deleted_at IS NULL",
                timestamp(now),
                content.dataset(),
                content.address()));
  }

  @Override
  public Map<VersionStatus, Long> countByStatus() {
    Map<VersionStatus, Long> counts = new EnumMap<>(VersionStatus.class);
    for (VersionStatus status : VersionStatus.values()) {
      counts.put(status, 0L);
    }
    queryList(
            "SELECT status, count(*) FROM versions GROUP BY status",
            r -> Map.entry(VersionStatus.valueOf(r.getString(1)), r.getLong(2)))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  // Tokens

  private static final String TOKEN_COLUMNS = "id, name, scope, created_at, last_used_at";

  @Override
  public void saveToken(String id, String tokenHash, Scope scope, String name, Instant now) {
    updateOne(
        "INSERT INTO tokens (id, token_hash, scope, name, created_at) VALUES (?, ?, ?, ?, ?)",
        id,
        tokenHash,
        scope.key(),
        name,
        timestamp(now));
  }

  @Override
  public Optional<StoredToken> findLiveToken(String tokenHash) {
    return queryOne(
        "SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE token_hash = ? AND revoked_at IS NULL",
        this::token,
        tokenHash);
  }

  @Override
  public List<StoredToken> listLiveTokens() {
    return queryList(
        "SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE revoked_at IS NULL ORDER BY created_at, id",
        this::token);
  }

  @Override
  public boolean revokeToken(String id, Instant now) {
    return updateOne(
        "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", timestamp(now), id);
  }

  @Override
  public void recordTokenUse(String id, Instant now, Instant usedSince) {
    updateOne(
        "UPDATE tokens SET last_used_at = ? WHERE id = ?"
            + " AND (last_used_at IS NULL OR last_used_at < ?)",
        timestamp(now),
        id,
        timestamp(usedSince));
  }

  @Override
  public boolean isReachable() {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  // Row mapping

  private DatasetDefinition dataset(ResultSet r) throws SQLException {
    Array formats = r.getArray("formats");
    String cron = r.getString("schedule_cron");
    String ttl = r.getString("default_ttl");
    String zone = r.getString("schedule_time_zone");
    String scheduleTtl = r.getString("schedule_ttl");
    return new DatasetDefinition(
        r.getString("name"),
        new BuildRequest(
            r.getString("source"),
            r.getString("query"),
            r.getString("table_name"),
            Arrays.asList((String[]) formats.getArray()),
            r.getString("partition_column"),
            (Integer) r.getObject("partitions")),
        ttl == null ? null : Ttl.parse(ttl),
        r.getString("description"),
        read(r.getString("creators"), CREATORS),
        r.getString("license"),
        cron == null
            ? null
            : new Schedule(
                cron,
                zone == null ? null : ZoneId.of(zone),
                r.getInt("schedule_keep_last"),
                scheduleTtl == null ? null : Ttl.parse(scheduleTtl)),
        r.getBoolean("ad_hoc"),
        instant(r, "created_at"),
        instant(r, "updated_at"));
  }

  private StoredToken token(ResultSet r) throws SQLException {
    return new StoredToken(
        r.getString("id"),
        r.getString("name"),
        Scope.fromKey(r.getString("scope")),
        instant(r, "created_at"),
        instant(r, "last_used_at"));
  }

  private Version version(ResultSet r) throws SQLException {
    String ttl = r.getString("ttl");
    String errorType = r.getString("error_type");
    String releaseNotes = r.getString("release_notes");
    return new Version(
        r.getString("dataset"),
        r.getInt("version"),
        r.getString("build_id"),
        VersionStatus.valueOf(r.getString("status")),
        read(r.getString("request"), new TypeReference<BuildRequest>() {}),
        r.getString("request_key"),
        ttl == null ? null : Ttl.parse(ttl),
        new Progress(
            r.getInt("partitions_done"),
            r.getInt("partitions_total"),
            r.getLong("rows"),
            r.getLong("bytes")),
        instant(r, "created_at"),
        instant(r, "started_at"),
        instant(r, "finished_at"),
        instant(r, "expires_at"),
        instant(r, "status_changed_at"),
        r.getBoolean("pinned"),
        r.getString("content_digest"),
        r.getString("address"),
        r.getString("manifest_uri"),
        r.getString("build_record_uri"),
        r.getString("manifest"),
        errorType == null ? null : new BuildError(errorType, r.getString("error_message")),
        (Long) r.getObject("pid"),
        r.getString("job"),
        instant(r, "files_deleted_at"),
        instant(r, "scheduled_for"),
        r.getBoolean("unchanged"),
        releaseNotes == null ? null : read(releaseNotes, new TypeReference<ReleaseNotes>() {}));
  }

  // JDBC plumbing

  /** Reads one row into a value. */
  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  /** Work done inside one transaction. */
  @FunctionalInterface
  private interface TransactionWork<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T inTransaction(TransactionWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new CatalogStoreException(e);
    }
  }

  private <T> Optional<T> queryOne(String sql, RowReader<T> reader, Object... params) {
    try (Connection c = dataSource.getConnection()) {
      return queryOne(c, sql, reader, params);
    } catch (SQLException e) {
      throw new CatalogStoreException(e);
    }
  }

  private <T> List<T> queryList(String sql, RowReader<T> reader, Object... params) {
    try (Connection c = dataSource.getConnection()) {
      return queryList(c, sql, reader, params);
    } catch (SQLException e) {
      throw new CatalogStoreException(e);
    }
  }

  private boolean updateOne(String sql, Object... params) {
    try (Connection c = dataSource.getConnection()) {
      return update(c, sql, params) == 1;
    } catch (SQLException e) {
      throw new CatalogStoreException(e);
    }
  }

  private static <T> Optional<T> queryOne(
      Connection c, String sql, RowReader<T> reader, Object... params) throws SQLException {
    List<T> rows = queryList(c, sql, reader, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private static <T> List<T> queryList(
      Connection c, String sql, RowReader<T> reader, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(c, s, params);
      try (ResultSet r = s.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (r.next()) {
          rows.add(reader.read(r));
        }
        return rows;
      }
    }
  }

  private static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(c, s, params);
      return s.executeUpdate();
    }
  }

  private static void bind(Connection c, PreparedStatement s, Object... params)
      throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof TextArray) {
        s.setArray(i + 1, c.createArrayOf("text", ((TextArray) p).values()));
      } else if (p == null) {
        s.setNull(i + 1, Types.NULL);
      } else {
        s.setObject(i + 1, p);
      }
    }
  }

  private static void setInteger(PreparedStatement s, int index, Integer value)
      throws SQLException {
    if (value == null) {
      s.setNull(index, Types.INTEGER);
    } else {
      s.setInt(index, value);
    }
  }

  /** A {@code text[]} parameter (a bare String[] would spread into varargs). */
  private record TextArray(String[] values) {}

  private static TextArray statusArray(Set<VersionStatus> statuses) {
    return new TextArray(statuses.stream().map(Enum::name).toArray(String[]::new));
  }

  private static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static Instant instant(ResultSet r, String column) throws SQLException {
    Timestamp t = r.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static Instant instant(ResultSet r, int column) throws SQLException {
    Timestamp t = r.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("catalog values are always serialisable", e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("catalog row holds unreadable JSON", e);
    }
  }
}
