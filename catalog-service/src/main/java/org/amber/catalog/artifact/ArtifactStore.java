package org.amber.catalog.artifact;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.amber.artifacts.build.BuildRecord;
import org.amber.artifacts.download.Piece;
import org.amber.artifacts.layout.DatasetLayout;

/**
 * The artifacts under an output root, wherever it is ({@link LocalArtifactStore} for {@code
 * file:///…}, {@link GcsArtifactStore} for {@code gs://…}): reading manifests, build records and
 * stored files, and removing a content address or a build's staging folder.
 *
 * <p>Committing a build's content and deleting an address must not interleave for one dataset, so
 * both run under {@link #withContentLock}.
 */
public interface ArtifactStore {
  /**
   * The store for an output root. A {@code gs://} root is checked before anything is served: its
   * form, then the credentials ({@code gcs} is asked only then), then that the bucket can be
   * listed; each failure is one readable line.
   *
   * @param signedUrlLife how long the signed URLs of a {@code gs://} root work
   */
  static ArtifactStore open(String rootUri, Duration signedUrlLife, Supplier<GcsAccess> gcs) {
    if (rootUri.startsWith("gs:")) {
      GcsArtifactStore.bucketOf(rootUri);
      GcsAccess access = gcs.get();
      GcsArtifactStore store =
          new GcsArtifactStore(rootUri, access.storage(), access.signer(), signedUrlLife);
      store.checkReachable();
      return store;
    }
    return new LocalArtifactStore(rootUri);
  }

  /** The output root URI that builds write under. */
  String rootUri();

  default DatasetLayout layout(String dataset) {
    return DatasetLayout.of(rootUri(), dataset);
  }

  <T> T withContentLock(String dataset, Supplier<T> work);

  /** The committed {@code manifest.json} of an address, if it is there. */
  Optional<byte[]> readManifest(String dataset, String address);

  /** A build's record ({@code <dataset>/builds/<build-id>.json}), if the build wrote one. */
  Optional<byte[]> readBuildRecord(String dataset, String buildId);

  /**
   * The record of a build that committed a version: how a build that ran out of the catalog's sight
   * (on Dataflow, or while the catalog was down) says what it made. Empty when there is no record,
   * or the record is a draft that never reached its commit.
   *
   * @throws UncheckedIOException when the record is there but unreadable
   */
  default Optional<BuildRecord> committedBuild(String dataset, String buildId) {
    Optional<byte[]> bytes = readBuildRecord(dataset, buildId);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    BuildRecord record;
    try {
      record = BuildRecords.MAPPER.readValue(bytes.get(), BuildRecord.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean committed =
        record.address() != null
            && record.contentDigest() != null
            && layout(dataset).manifest(record.address()).equals(record.manifest());
    return committed ? Optional.of(record) : Optional.empty();
  }

  /** Build records gain fields over time; an older catalog still reads what it knows. */
  final class BuildRecords {
    private static final ObjectMapper MAPPER =
        new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private BuildRecords() {}
  }

  /**
   * A whole stored file below a content address, by its manifest-relative path; empty when the path
   * leaves the address folder or the file is missing.
   */
  Optional<Body> storedFile(String dataset, String address, String relativePath);

  /**
   * The file made of these runs of an address's stored files; empty when one of them is missing
   * (the content was removed). Where the storage can hand the file out itself (one whole object),
   * the body is also a {@link DirectDownload}.
   */
  Optional<Body> assemble(String dataset, String address, List<Piece> pieces);

  /**
   * Removes a content address: {@code manifest.json} first, so it stops being a version at once.
   */
  void deleteContent(String dataset, String address);

  /** Removes a build's staging folder, if any. */
  void deleteStaging(String dataset, String buildId);
}
