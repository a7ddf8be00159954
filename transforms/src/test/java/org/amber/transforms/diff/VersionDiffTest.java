package org.amber.transforms.diff;

import static org.amber.transforms.diff.ShardFixtures.column;
import static org.amber.transforms.diff.ShardFixtures.row;
import static org.amber.transforms.diff.ShardFixtures.utf8;
import static org.amber.transforms.diff.ShardFixtures.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.ColumnType.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionDiffTest {
  private static final List<Column> ID_V =
      List.of(column("id", Kind.INT64), column("v", Kind.STRING));

  @TempDir Path dir;

  private String v(String name, List<Column> columns, List<List<Object[]>> shards)
      throws Exception {
    return version(dir.resolve(name), "id", columns, shards);
  }

  private static List<Object[]> shard(Object[]... rows) {
    return List.of(rows);
  }

  private static Object[] r(long id, String v) {
    return row(id, v == null ? null : utf8(v));
  }

  @Test
  void countsAddedRemovedAndChangedWhenKeysMoveBetweenShardsOfDifferentPlans() throws Exception {
    String old =
        v(
            "old",
            ID_V,
            List.of(
                shard(r(1, "a"), r(2, "b"), r(3, "c")), shard(r(4, "d"), r(5, "e"), r(6, "f"))));
    String now =
        v(
            "new",
            ID_V,
            List.of(
                shard(r(1, "a"), r(2, "b")),
                shard(r(3, "C"), r(4, "d"), r(5, null), r(7, "g")),
                shard(r(8, "h"))));
    List<String> seen = new ArrayList<>();
    VersionDiff.Result result =
        VersionDiff.compare(old, now, (kind, key) -> seen.add(kind.label() + " " + key));
    assertEquals(new VersionDiff.Result("id", 2, 1, 2), result);
    assertEquals(List.of("changed 3", "changed 5", "removed 6", "added 7", "added 8"), seen);
  }

  @Test
  void emptyShardsAndEmptyVersionsAreJustNoRows() throws Exception {
    String old = v("old", ID_V, List.of(shard(), shard(r(1, "a"), r(2, "b")), shard()));
    String now = v("new", ID_V, List.of(shard(r(1, "a")), shard(), shard(r(2, "b"), r(3, "c"))));
    String none = v("none", ID_V, List.of(shard()));
    assertEquals(new VersionDiff.Result("id", 1, 0, 0), VersionDiff.compare(old, now, null));
    assertEquals(new VersionDiff.Result("id", 0, 3, 0), VersionDiff.compare(now, none, null));
    assertEquals(new VersionDiff.Result("id", 3, 0, 0), VersionDiff.compare(none, now, null));
  }

  @Test
  void rowsWithANullKeyAreComparedByContent() throws Exception {
    List<Column> columns = List.of(column("k", Kind.INT32), column("v", Kind.STRING));
    Object[] nullA = row(null, utf8("a"));
    Object[] nullB = row(null, utf8("b"));
    String old =
        version(
            dir.resolve("old"),
            "k",
            columns,
            List.of(shard(row(1, utf8("x")), row(2, utf8("y"))), shard(nullA, nullB, nullB)));
    // the new plan has no NULL partition: its last range holds the NULL keys after the others
    String now =
        version(
            dir.resolve("new"),
            "k",
            columns,
            List.of(shard(row(1, utf8("x")), row(2, utf8("y")), nullB, row(null, utf8("c")))));
    List<String> seen = new ArrayList<>();
    VersionDiff.Result result =
        VersionDiff.compare(old, now, (kind, key) -> seen.add(kind.label() + " " + key));
    // removed: a and one of the two b; added: c. A NULL-key row is never "changed".
    assertEquals(new VersionDiff.Result("k", 1, 2, 0), result);
    seen.sort(null);
    assertEquals(List.of("added null", "removed null", "removed null"), seen);
  }

  @Test
  void aRetypedColumnChangesARowOnlyWhereItsTextChanged() throws Exception {
    List<Column> int32 = List.of(column("id", Kind.INT64), column("n", Kind.INT32));
    List<Column> int64 = List.of(column("id", Kind.INT64), column("n", Kind.INT64));
    String old = v("old", int32, List.of(shard(row(1L, 10), row(2L, 20), row(3L, null))));
    String now = v("new", int64, List.of(shard(row(1L, 10L), row(2L, 21L), row(3L, null))));
    assertEquals(new VersionDiff.Result("id", 0, 0, 1), VersionDiff.compare(old, now, null));

    List<Column> scale2 = List.of(column("id", Kind.INT64), column("p", ColumnType.decimal(10, 2)));
    List<Column> scale3 = List.of(column("id", Kind.INT64), column("p", ColumnType.decimal(10, 3)));
    String two = v("two", scale2, List.of(shard(row(1L, new BigDecimal("1.50")), row(2L, null))));
    String three =
        v("three", scale3, List.of(shard(row(1L, new BigDecimal("1.500")), row(2L, null))));
    assertEquals(new VersionDiff.Result("id", 0, 0, 1), VersionDiff.compare(two, three, null));
  }

  @Test
  void columnsOnlyOneVersionHasAreSchemaChangesNotRowChanges() throws Exception {
    List<Column> wide =
        List.of(column("id", Kind.INT64), column("v", Kind.STRING), column("w", Kind.INT32));
    String old = v("old", ID_V, List.of(shard(r(1, "a"), r(2, "b"))));
    String now = v("new", wide, List.of(shard(row(1L, utf8("a"), 5), row(2L, utf8("B"), 6))));
    assertEquals(new VersionDiff.Result("id", 0, 0, 1), VersionDiff.compare(old, now, null));
  }

  @Test
  void aKeyRetypedWithinNumbersStillMatchesAcrossIntegerAndDecimal() throws Exception {
    List<Column> intKey = List.of(column("id", Kind.INT32), column("v", Kind.STRING));
    List<Column> decimalKey =
        List.of(column("id", ColumnType.decimal(0, 0)), column("v", Kind.STRING));
    String old = v("old", intKey, List.of(shard(row(1, utf8("a")), row(2, utf8("b")))));
    String now =
        v(
            "new",
            decimalKey,
            List.of(
                shard(row(new BigDecimal("1.5"), utf8("x")), row(new BigDecimal(2), utf8("b")))));
    assertEquals(new VersionDiff.Result("id", 1, 1, 0), VersionDiff.compare(old, now, null));

    List<Column> dateKey = List.of(column("id", Kind.DATE), column("v", Kind.STRING));
    String dates = v("dates", dateKey, List.of(shard(row(1, utf8("a")))));
    DiffUnavailable e =
        assertThrows(DiffUnavailable.class, () -> VersionDiff.compare(old, dates, null));
    assertTrue(e.getMessage().contains("changed type from int32 to date"), e.getMessage());
  }

  @Test
  void keysOutOfOrderStopTheDiffInsteadOfMiscounting() throws Exception {
    String old = v("old", ID_V, List.of(shard(r(1, "a"), r(2, "b"))));
    String swapped =
        v("swapped", ID_V, List.of(shard(r(3, "c"), r(4, "d")), shard(r(1, "a"), r(2, "b"))));
    DiffUnavailable e =
        assertThrows(DiffUnavailable.class, () -> VersionDiff.compare(old, swapped, null));
    assertEquals(
        "keys are out of order: 4 comes before 1 in shard 1 of the new version;"
            + " rows cannot be matched by key",
        e.getMessage());

    String repeated = v("repeated", ID_V, List.of(shard(r(1, "a")), shard(r(1, "b"))));
    e = assertThrows(DiffUnavailable.class, () -> VersionDiff.compare(repeated, old, null));
    assertTrue(
        e.getMessage()
            .startsWith(
                "key column 'id' is not unique: 1 appears twice in shard 1 of the old version"),
        e.getMessage());
  }

  @Test
  void textKeysCompareByByteOrder() throws Exception {
    List<Column> textKey = List.of(column("name", Kind.STRING), column("n", Kind.INT32));
    // "Z" < "a" < "é" in byte order (COLLATE "C"), not in a language's order
    String old =
        version(
            dir.resolve("old"),
            "name",
            textKey,
            List.of(shard(row(utf8("Z"), 1), row(utf8("a"), 1), row(utf8("é"), 1))));
    String now =
        version(
            dir.resolve("new"),
            "name",
            textKey,
            List.of(shard(row(utf8("Z"), 2)), shard(row(utf8("b"), 1), row(utf8("é"), 1))));
    assertEquals(new VersionDiff.Result("name", 1, 1, 1), VersionDiff.compare(old, now, null));
  }

  @Test
  void versionsWithoutAKeyOrParquetSaySo() throws Exception {
    String keyed = v("keyed", ID_V, List.of(shard(r(1, "a"))));
    String unkeyed = version(dir.resolve("unkeyed"), null, ID_V, List.of(shard(r(1, "a"))));
    DiffUnavailable e =
        assertThrows(DiffUnavailable.class, () -> VersionDiff.compare(keyed, unkeyed, null));
    assertTrue(e.getMessage().startsWith("the new version has no key"), e.getMessage());

    String other = version(dir.resolve("other"), "v", ID_V, List.of(shard(r(1, "a"))));
    e = assertThrows(DiffUnavailable.class, () -> VersionDiff.compare(keyed, other, null));
    assertTrue(
        e.getMessage().contains("keyed by different columns ('id' and 'v')"), e.getMessage());

    Path csvOnly = dir.resolve("csv-only");
    version(csvOnly, "id", ID_V, List.of(shard(r(1, "b"))));
    String manifest =
        Files.readString(csvOnly.resolve("manifest.json")).replace("\"parquet\":", "\"csv.gz\":");
    Files.writeString(csvOnly.resolve("manifest.json"), manifest);
    e =
        assertThrows(
            DiffUnavailable.class,
            () ->
                VersionDiff.compare(
                    keyed, csvOnly.resolve("manifest.json").toUri().toString(), null));
    assertTrue(e.getMessage().startsWith("the new version has no Parquet shards"), e.getMessage());
  }

  @Test
  void theChangedKeysFileHoldsEachKeyWithItsKindAsTextWhenTheKeyWasRetyped() throws Exception {
    List<Column> intKey = List.of(column("id", Kind.INT32), column("v", Kind.STRING));
    List<Column> decimalKey =
        List.of(column("id", ColumnType.decimal(10, 1)), column("v", Kind.STRING));
    String old = v("old", intKey, List.of(shard(row(1, utf8("a")), row(2, utf8("b")))));
    String now =
        v(
            "new",
            decimalKey,
            List.of(
                shard(row(new BigDecimal("2.0"), utf8("B")), row(new BigDecimal("2.5"), null))));
    String file = dir.resolve("changed.parquet").toUri().toString();
    VersionDiff.Result result;
    try (ChangedKeysFile keys =
        ChangedKeysFile.create(
            file, VersionDiff.readManifest(old), VersionDiff.readManifest(now))) {
      result = VersionDiff.compare(old, now, keys);
      keys.finish();
      assertEquals(3, keys.rows());
    }
    assertEquals(new VersionDiff.Result("id", 1, 1, 1), result);
    List<String> rows = new ArrayList<>();
    try (var reader =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.amber.transforms.storage.ArtifactInputFile.of(file))) {
      var schema = reader.getFooter().getFileMetaData().getSchema();
      assertEquals("id", schema.getFieldName(1));
      var pages = reader.readNextRowGroup();
      var records =
          new org.apache.parquet.io.ColumnIOFactory()
              .getColumnIO(schema)
              .getRecordReader(
                  pages,
                  new org.apache.parquet.example.data.simple.convert.GroupRecordConverter(schema));
      for (long i = 0; i < pages.getRowCount(); i++) {
        var g = records.read();
        rows.add(g.getString(0, 0) + " " + g.getString(1, 0));
      }
    }
    assertEquals(List.of("removed 1", "changed 2.0", "added 2.5"), rows);
  }

  @Test
  void equalDigestsAreNoChangesWithoutReadingAShard() throws Exception {
    String old = v("old", ID_V, List.of(shard(r(1, "a"))));
    try (var files = Files.list(dir.resolve("old/parquet"))) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    assertEquals(new VersionDiff.Result("id", 0, 0, 0), VersionDiff.compare(old, old, null));
  }
}
