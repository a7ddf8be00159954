package org.amber.catalog.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.amber.artifacts.changes.Changes;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.Partitioning;
import org.amber.artifacts.manifest.SchemaChanges;
import org.amber.artifacts.manifest.SchemaField;
import org.amber.artifacts.manifest.ShardFile;
import org.junit.jupiter.api.Test;

class ReleaseNotesTest {
  private static Manifest manifest(long rows, long bytes, SchemaField... schema) {
    return new Manifest(
            Manifest.VERSION,
            "items",
            List.of(schema),
            rows,
            new Partitioning("id", 1),
            Map.of(
                "parquet",
                new FormatFiles(
                    List.of(
                        new ShardFile(
                            "parquet/part-00000-of-00001.parquet", rows, bytes, "00", null, null)),
                    "zstd",
                    null)),
            null)
        .withDigest();
  }

  private static final SchemaField ID = new SchemaField("id", "int32", false, "int4");

  @Test
  void aFirstVersionHasItsSizeAndNothingToCompare() {
    ReleaseNotes notes = ReleaseNotes.of(manifest(10, 500, ID), null, null, null);
    assertEquals(new ReleaseNotes(10, 500, null, null, null, null, null), notes);
  }

  @Test
  void aLaterVersionHasDeltasTheBuildsCountsAndSchemaChanges() {
    Manifest before = manifest(10, 500, ID, new SchemaField("n", "int32", true, "int4"));
    Manifest after =
        manifest(
            8,
            450,
            ID,
            new SchemaField("n", "int64", true, "int8"),
            new SchemaField("c", "string", true, "text"));
    Changes counted = Changes.counted(before.contentDigest(), "id", 1, 3, 2);
    ReleaseNotes notes = ReleaseNotes.of(after, 4, before, counted);
    assertEquals(8, notes.rows());
    assertEquals(450, notes.bytes());
    assertEquals(4, notes.comparedWith());
    assertEquals(-2, notes.rowsDelta());
    assertEquals(-50, notes.bytesDelta());
    assertEquals(new VersionChanges(4, true, "id", 1L, 3L, 2L, null), notes.changes());
    assertEquals(
        new SchemaChanges(
            List.of("c"), List.of(), List.of(new SchemaChanges.Retyped("n", "int32", "int64"))),
        notes.schemaChanges());
  }

  @Test
  void changesTheBuildCouldNotCountKeepTheirReason() {
    Manifest before = manifest(10, 500, ID);
    ReleaseNotes notes =
        ReleaseNotes.of(
            manifest(10, 500, ID),
            1,
            before,
            Changes.unavailable(before.contentDigest(), "no key"));
    assertEquals(new VersionChanges(1, false, null, null, null, null, "no key"), notes.changes());
    assertEquals(0, notes.rowsDelta());
    assertNull(notes.changes().added());
  }
}
