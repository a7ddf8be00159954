package org.amber.catalog.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.amber.artifacts.changes.Changes;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.catalog.domain.model.ReleaseNotes;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.domain.model.VersionStatus;
import org.amber.catalog.store.CatalogStore;
import org.amber.catalog.store.CatalogStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which version a build compares with, and the release notes of a version as it completes. The
 * catalog reads no shards: the build counts the changed rows (given the previous version's manifest
 * with {@code --compare-with}); the notes add what the two manifests tell.
 */
final class Releases {
  private static final Logger LOG = LoggerFactory.getLogger(Releases.class);

  /** How far back the version a build compared with is looked for. */
  private static final int LOOK_BACK = 100;

  private final CatalogStore store;

  Releases(CatalogStore store) {
    this.store = store;
  }

  /**
   * The manifest URI of the dataset's newest completed version before {@code v}, for its build to
   * count changes against; null when there is none. A catalog that cannot answer gives null: the
   * build goes ahead without changes rather than not at all.
   */
  String compareWith(Version v) {
    try {
      return store
          .latestCompleted(v.dataset())
          .filter(previous -> previous.number() < v.number())
          .map(Version::manifestUri)
          .orElse(null);
    } catch (RuntimeException e) {
      LOG.warn("{}: cannot find the version to compare with: {}", v.key(), e.getMessage());
      return null;
    }
  }

  /**
   * The notes of {@code v} completing with {@code manifest}, against the version its build compared
   * with (else the newest completed one before it). Null when they cannot be made, which never
   * stops the version completing.
   */
  ReleaseNotes notes(Version v, Manifest manifest, Changes changes) {
    try {
      Optional<Version> previous = previous(v, changes);
      return ReleaseNotes.of(
          manifest,
          previous.map(Version::number).orElse(null),
          previous.isPresent() ? parse(previous.get()) : null,
          changes);
    } catch (CatalogStoreException e) {
      throw e; // the completion is retried once the catalog answers
    } catch (RuntimeException | IOException e) {
      LOG.warn("{}: no release notes: {}", v.key(), e.getMessage());
      return null;
    }
  }

  private Optional<Version> previous(Version v, Changes changes) {
    List<Version> older = store.listVersions(v.dataset(), v.number(), LOOK_BACK);
    if (changes != null && changes.comparedWith() != null) {
      return older.stream()
          .filter(o -> o.manifestJson() != null)
          .filter(o -> changes.comparedWith().equals(o.contentDigest()))
          .findFirst();
    }
    return older.stream()
        .filter(o -> o.manifestJson() != null && o.status() == VersionStatus.COMPLETED)
        .findFirst();
  }

  private static Manifest parse(Version v) throws IOException {
    return ManifestJson.readManifest(v.manifestJson().getBytes(StandardCharsets.UTF_8));
  }
}
