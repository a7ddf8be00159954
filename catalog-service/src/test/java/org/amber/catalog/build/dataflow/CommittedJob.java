package org.amber.catalog.build.dataflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.amber.artifacts.build.BuildRecord;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.artifacts.protocol.BuildSummary;
import org.amber.catalog.build.LargeVersion;

/**
 * What a Dataflow job leaves when it commits: a content address with its manifest and, last, the
 * build record naming it, written where the catalog reads them.
 */
final class CommittedJob {
  private CommittedJob() {}

  static BuildSummary write(String rootUri, String dataset, String buildId, String jobId)
      throws Exception {
    // Sized by the build, so that every build commits content of its own.
    BuildSummary made =
        LargeVersion.write(rootUri, dataset, buildId, 2, 4096 + (buildId.hashCode() & 0xfff));
    BuildRecord record =
        BuildRecord.builder()
            .buildId(buildId)
            .dataset(dataset)
            .formats(List.of("ndjson.gz"))
            .startedAt(Instant.now().toString())
            .runner("DataflowRunner", jobId)
            .build()
            .completed(
                Instant.now().toString(),
                made.rows(),
                made.bytes(),
                made.contentDigest(),
                made.address(),
                made.manifest(),
                false);
    Path file = Path.of(URI.create(DatasetLayout.of(rootUri, dataset).buildRecord(buildId)));
    Files.createDirectories(file.getParent());
    Files.write(file, new ObjectMapper().writeValueAsBytes(record));
    return made;
  }
}
