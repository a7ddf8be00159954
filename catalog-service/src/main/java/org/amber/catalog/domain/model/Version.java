package org.amber.catalog.domain.model;

import java.time.Instant;

/**
 * One build of a dataset and, once completed, the content it points at. Versions are numbered 1, 2,
 * 3… per dataset and never reused.
 *
 * @param requestKey identity of {@link #request} for single-flight and reuse
 * @param manifestJson the committed manifest, kept so tombstones keep their metadata
 * @param pid the local build process while it runs, so a restart can stop an orphan
 * @param job the job a build runs as elsewhere ({@code dataflow:projects/P/locations/R/jobs/ID}),
 *     so a restart can re-attach to it; null for a local build
 * @param filesDeletedAt when the sweeper removed its files, null while they are on disk
 * @param scheduledFor the timetable run that started it, null when a client asked for it
 * @param unchanged its content is that of the previous completed version (same digest, address)
 * @param releaseNotes what it brings against the previous version, once completed
 */
public record Version(
    String dataset,
    int number,
    String buildId,
    VersionStatus status,
    BuildRequest request,
    String requestKey,
    Ttl ttl,
    Progress progress,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant expiresAt,
    Instant statusChangedAt,
    boolean pinned,
    String contentDigest,
    String address,
    String manifestUri,
    String buildRecordUri,
    String manifestJson,
    BuildError error,
    Long pid,
    String job,
    Instant filesDeletedAt,
    Instant scheduledFor,
    boolean unchanged,
    ReleaseNotes releaseNotes) {

  public VersionKey key() {
    return new VersionKey(dataset, number);
  }
}
