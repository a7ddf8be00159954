package org.amber.artifacts.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.amber.artifacts.manifest.ManifestJson;
import org.junit.jupiter.api.Test;

class BuildRecordTest {
  private static BuildRecord draft() {
    return BuildRecord.builder()
        .buildId("b-1")
        .dataset("compound")
        .source(new BuildRecord.Source("postgresql", "17.6", "jdbc:postgresql://db/lab?user=r"))
        .sql("SELECT * FROM compound")
        .snapshot(new BuildRecord.Snapshot("exported", "snapshot", "00000003-1", "0/1", "1:1:"))
        .partitioning(new BuildRecord.Partitioning("ctid", null, 8, null))
        .partitionPlan(List.of())
        .formats(List.of("parquet"))
        .startedAt("2026-01-01T00:00:00Z")
        .runner("DirectRunner", "job")
        .versions("0.1.0", "2.71.0")
        .build();
  }

  @Test
  void aDraftCarriesWhatWasReadAndNoOutcome() throws Exception {
    String json =
        new String(ManifestJson.canonicalBytes(draft()), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(
        "{\"amber_version\":\"0.1.0\",\"beam_version\":\"2.71.0\",\"build_id\":\"b-1\",\"bytes\":0,"
            + "\"dataset\":\"compound\",\"formats\":[\"parquet\"],\"job_id\":\"job\",\"partition_plan\":[],"
            + "\"partitioning\":{\"shards\":8,\"strategy\":\"ctid\"},"
            + "\"reused_existing_address\":false,\"rows\":0,\"runner\":\"DirectRunner\",\"snapshot\":{"
            + "\"consistency\":\"snapshot\",\"id\":\"00000003-1\",\"lsn\":\"0/1\",\"strategy\":\"exported\","
            + "\"txid_snapshot\":\"1:1:\"},\"source\":{\"kind\":\"postgresql\",\"server_version\":\"17.6\","
            + "\"url\":\"jdbc:postgresql://db/lab?user=r\"},\"sql\":\"SELECT * FROM compound\","
            + "\"started_at\":\"2026-01-01T00:00:00Z\"}",
        json);
  }

  @Test
  void completedAddsTheOutcomeAndKeepsTheRest() {
    BuildRecord done =
        draft().completed("2026-01-01T00:01:00Z", 10, 99, "sha256:ab", "sha256-ab", "m.json", true);
    assertEquals(draft().toBuilder().build(), draft());
    assertEquals("sha256:ab", done.contentDigest());
    assertEquals(10, done.rows());
    assertEquals(true, done.reusedExistingAddress());
    assertEquals(draft().sql(), done.sql());
    assertEquals(draft().snapshot(), done.snapshot());
    assertEquals(draft().partitioning(), done.partitioning());
    assertEquals("job", done.jobId());
  }
}
