package org.amber.catalog.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import org.amber.catalog.domain.model.BuildError;
import org.amber.catalog.domain.model.BuildRequest;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Progress;
import org.amber.catalog.domain.model.ReleaseNotes;
import org.amber.catalog.domain.model.Scope;
import org.amber.catalog.domain.model.Ttl;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.domain.model.VersionKey;
import org.amber.catalog.domain.model.VersionStatus;

/**
 * Everything the catalog remembers. State changes are conditional on the state the caller saw
 * ({@code expected} statuses) and return whether they happened, so that two requests racing on one
 * version cannot both win; the rules about which change is allowed live in the domain.
 */
public interface CatalogStore {

  // Datasets

  Optional<DatasetDefinition> findDataset(String name);

  /** Creates or replaces a definition; true when it did not exist (or had been deleted). */
  boolean saveDataset(DatasetDefinition definition);

  /** Live datasets in name order, after {@code afterName} (exclusive) when given. */
  List<DatasetDefinition> listDatasets(String afterName, int limit);

  /**
   * Deletes a dataset and turns its versions into tombstones ({@code DELETED}), unless one of them
   * is pinned or still building.
   */
  DatasetDeletion deleteDataset(String name, Instant now);

  /** The result of {@link #deleteDataset}. */
  enum DatasetDeletion {
    DELETED,
    NOT_FOUND,
    HAS_PINNED_VERSION,
    HAS_ACTIVE_BUILD
  }

  /**
   * The run time of the last run a scheduled dataset's timetable started or, before its first, when
   * the timetable was set: runs up to it are done. Read from the database every time.
   */
  Optional<Instant> lastScheduledRun(String dataset);

  /**
   * Live datasets with a schedule, each with the last run its timetable started. Read from the
   * database every time: another service instance may have changed either.
   */
  List<ScheduledDataset> scheduledDatasets();

  /**
   * A dataset with a schedule and the last run (slot) its timetable started, or when the timetable
   * was set if none since.
   */
  record ScheduledDataset(DatasetDefinition definition, Instant lastRun) {}

  /**
   * Claims run {@code slot} of a dataset's timetable and starts its build ({@link #startBuild},
   * with the version marked as that run's), in one transaction. The claim holds only while the
   * definition is the one read ({@code definition.updatedAt()}) and no run at or after {@code slot}
   * was claimed, so of service instances sharing the catalog exactly one starts each run.
   *
   * @return empty when the claim did not hold
   */
  Optional<BuildStart> startScheduledBuild(
      DatasetDefinition definition,
      Instant slot,
      String requestKey,
      Ttl ttl,
      IntFunction<String> buildIdFor,
      Instant now);

  // Versions

  /**
   * Joins the dataset's active build of an identical request, or records a new {@code QUEUED}
   * version; atomic per dataset, so concurrent identical requests share one version.
   *
   * @param buildIdFor makes the build id from the new version's number
   */
  BuildStart startBuild(
      String dataset,
      BuildRequest request,
      String requestKey,
      Ttl ttl,
      IntFunction<String> buildIdFor,
      Instant now);

  /** The result of {@link #startBuild}: the version, and whether this call created it. */
  record BuildStart(Version version, boolean created) {}

  Optional<Version> findVersion(VersionKey key);

  Optional<Version> latestCompleted(String dataset);

  /**
   * The newest completed version built from {@code requestKey} that finished at or after {@code
   * notBefore}.
   */
  Optional<Version> freshestCompleted(String dataset, String requestKey, Instant notBefore);

  /** Newest first, below {@code beforeNumber} (exclusive) when given. */
  List<Version> listVersions(String dataset, Integer beforeNumber, int limit);

  List<Version> versionsIn(Set<VersionStatus> statuses);

  /** Moves the oldest {@code QUEUED} version to {@code EXECUTING} and returns it. */
  Optional<Version> claimNextQueued(Instant now);

  /** Moves a version between statuses without other changes. */
  boolean changeStatus(VersionKey key, Set<VersionStatus> expected, VersionStatus to, Instant now);

  void recordPid(VersionKey key, long pid);

  /** The job a build runs as elsewhere, see {@link Version#job()}. */
  void recordJob(VersionKey key, String job);

  void recordProgress(VersionKey key, Progress progress);

  /**
   * {@code EXECUTING} → {@code COMPLETED} with what the build produced; marked {@code unchanged}
   * when its content digest is that of the dataset's previous completed version.
   */
  boolean complete(VersionKey key, Completion completion);

  /** What a successful build produced. */
  record Completion(
      String contentDigest,
      String address,
      String manifestUri,
      String buildRecordUri,
      String manifestJson,
      Progress progress,
      Instant finishedAt,
      Instant expiresAt,
      ReleaseNotes releaseNotes) {}

  /** Ends a build that did not complete ({@code ERROR} or {@code ABORTED}). */
  boolean fail(
      VersionKey key, Set<VersionStatus> expected, VersionStatus to, BuildError error, Instant now);

  /** Pins or unpins a completed version. */
  boolean setPinned(VersionKey key, boolean pinned);

  /** Changes a completed version's expiry; null means never. */
  boolean setExpiresAt(VersionKey key, Instant expiresAt);

  /** Tombstones a finished, unpinned version. */
  boolean markDeleted(VersionKey key, Instant now);

  // Lifecycle

  /** Marks unpinned completed versions whose time has come {@code EXPIRED}. */
  List<VersionKey> expireDue(Instant now);

  /**
   * Expires the completed, unpinned versions of a dataset beyond the newest {@code keepLast}
   * completed ones.
   */
  List<VersionKey> expireBeyond(String dataset, int keepLast, Instant now);

  /**
   * Content addresses whose files may go: referenced by a tombstone older than {@code
   * tombstonedBefore} whose files are still on disk, and by no live version (completed, or pinned)
   * of the same dataset.
   */
  List<ContentRef> releasableContent(Instant tombstonedBefore);

  /** One dataset's content address. */
  record ContentRef(String dataset, String address) {}

  /** Whether a completed or pinned version still points at this content. */
  boolean isReferencedByLiveVersion(ContentRef content);

  void markFilesDeleted(ContentRef content, Instant now);

  Map<VersionStatus, Long> countByStatus();

  // Tokens

  void saveToken(String id, String tokenHash, Scope scope, String name, Instant now);

  /** The token with this hash unless it was revoked; one indexed lookup, made per request. */
  Optional<StoredToken> findLiveToken(String tokenHash);

  /** Tokens not revoked, oldest first. */
  List<StoredToken> listLiveTokens();

  /** Revokes a live token; false when there is none with this id. */
  boolean revokeToken(String id, Instant now);

  /** Records a use, unless one at or after {@code usedSince} is already recorded. */
  void recordTokenUse(String id, Instant now, Instant usedSince);

  /** A token as stored: never its secret. */
  record StoredToken(String id, String name, Scope scope, Instant createdAt, Instant lastUsedAt) {}

  /** True when the store answers. */
  boolean isReachable();
}
