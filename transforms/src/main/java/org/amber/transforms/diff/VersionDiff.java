package org.amber.transforms.diff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.transforms.format.CellText;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.storage.ArtifactFiles;

/**
 * Counts the rows added, removed and changed between two versions of a dataset, matched by key (the
 * partition column), in one streaming merge over both versions' Parquet shards.
 *
 * <p>Shards in plan order hold the non-NULL keys in ascending order (each shard is sorted by the
 * partition key and the plan's ranges are ascending), so each version is one ordered stream and the
 * merge holds only the current row of each. It checks that order as it goes: a key not above the
 * one before it (out of order, or repeated) stops the diff with {@link DiffUnavailable} instead of
 * giving a wrong count. Rows whose key is NULL are set aside and compared by content (see {@link
 * NullKeyRows}).
 *
 * <p>A row is changed when a column both versions have (by name) holds another value; a column only
 * one version has is a schema change, not a row change. A column whose type changed counts a row as
 * changed only when the value's text (as CSV writes it) changed, so int4 → int8 changes nothing
 * while numeric(10,2) → numeric(10,3) changes every non-NULL value ({@code 1.50} → {@code 1.500}).
 *
 * <pre>{@code
 * VersionDiff.Result r = VersionDiff.compare(oldManifestUri, newManifestUri, null);
 * }</pre>
 */
public final class VersionDiff {
  private VersionDiff() {}

  /** The counts; {@code key} is the column rows were matched by. */
  public record Result(String key, long added, long removed, long changed) {}

  /**
   * Reads both manifests, then {@link #compare(String, Manifest, String, Manifest, ChangedKeys)}.
   */
  public static Result compare(String beforeUri, String afterUri, ChangedKeys sink)
      throws IOException, DiffUnavailable {
    return compare(beforeUri, readManifest(beforeUri), afterUri, readManifest(afterUri), sink);
  }

  public static Manifest readManifest(String uri) throws IOException {
    byte[] bytes;
    try {
      bytes = ArtifactFiles.read(uri);
    } catch (java.io.FileNotFoundException e) {
      throw new IOException("no manifest at " + uri, e);
    }
    try {
      return ManifestJson.readManifest(bytes);
    } catch (IOException | RuntimeException e) {
      throw new IOException(uri + " is not a manifest.json: " + e.getMessage(), e);
    }
  }

  /**
   * @param sink receives every changed key, or null to count only
   * @throws DiffUnavailable when the versions cannot be matched by key; nothing is counted then
   */
  public static Result compare(
      String beforeUri, Manifest before, String afterUri, Manifest after, ChangedKeys sink)
      throws IOException, DiffUnavailable {
    String key = key(before, after);
    if (before.contentDigest() != null && before.contentDigest().equals(after.contentDigest())) {
      return new Result(key, 0, 0, 0);
    }
    try (VersionRows old = new VersionRows(beforeUri, before, "old");
        VersionRows now = new VersionRows(afterUri, after, "new")) {
      return new Merge(key, old, now, sink).run();
    }
  }

  /**
   * The column both versions are keyed by.
   *
   * @throws DiffUnavailable when either has no key, or they have different ones
   */
  public static String key(Manifest before, Manifest after) throws DiffUnavailable {
    String key = key(before, "old");
    String afterKey = key(after, "new");
    if (!key.equals(afterKey)) {
      throw new DiffUnavailable(
          "the versions are keyed by different columns ('"
              + key
              + "' and '"
              + afterKey
              + "'); rows cannot be matched");
    }
    return key;
  }

  private static String key(Manifest manifest, String role) throws DiffUnavailable {
    String column = manifest.partitioning() == null ? null : manifest.partitioning().column();
    if (column == null) {
      throw new DiffUnavailable(
          "the "
              + role
              + " version has no key: it was built as one partition without a partition column"
              + " or single-column primary key");
    }
    return column;
  }

  /** One merge of two versions' row streams. */
  private static final class Merge {
    private final String key;
    private final Side old;
    private final Side now;
    private final ChangedKeys sink;
    private final Comparator<Object> order;

    /** Columns both versions have, other than the key: index in old, index in new. */
    private final int[][] common;

    private final boolean[] sameType;
    private final NullKeyRows nullKeys = new NullKeyRows();
    private final CellText text = new CellText();
    private long added;
    private long removed;
    private long changed;

    Merge(String key, VersionRows oldRows, VersionRows newRows, ChangedKeys sink)
        throws DiffUnavailable {
      this.key = key;
      this.sink = sink;
      int oldKey = oldRows.names().indexOf(key);
      int newKey = newRows.names().indexOf(key);
      if (oldKey < 0 || newKey < 0) {
        throw new DiffUnavailable("key column '" + key + "' is missing from a version's schema");
      }
      ColumnType oldType = oldRows.types()[oldKey];
      ColumnType newType = newRows.types()[newKey];
      KeyOrder.Family family = KeyOrder.family(oldType);
      if (family == null || family != KeyOrder.family(newType)) {
        throw new DiffUnavailable(
            "key column '"
                + key
                + "' changed type from "
                + oldType
                + " to "
                + newType
                + "; keys of the two cannot be matched");
      }
      this.order = KeyOrder.of(family);
      this.old = new Side("old", oldRows, oldKey);
      this.now = new Side("new", newRows, newKey);
      List<int[]> pairs = new ArrayList<>();
      pairs.add(new int[] {oldKey, newKey});
      for (int i = 0; i < oldRows.names().size(); i++) {
        int j = newRows.names().indexOf(oldRows.names().get(i));
        if (j >= 0 && i != oldKey) {
          pairs.add(new int[] {i, j});
        }
      }
      this.common = pairs.toArray(int[][]::new);
      this.sameType = new boolean[common.length];
      for (int c = 0; c < common.length; c++) {
        sameType[c] = oldRows.types()[common[c][0]].equals(newRows.types()[common[c][1]]);
      }
    }

    Result run() throws IOException, DiffUnavailable {
      Object[] a = old.next();
      Object[] b = now.next();
      while (a != null && b != null) {
        int c = order.compare(a[old.key], b[now.key]);
        if (c < 0) {
          record(ChangeKind.REMOVED, a[old.key]);
          a = old.next();
        } else if (c > 0) {
          record(ChangeKind.ADDED, b[now.key]);
          b = now.next();
        } else {
          if (!sameValues(a, b)) {
            record(ChangeKind.CHANGED, b[now.key]);
          }
          a = old.next();
          b = now.next();
        }
      }
      for (; a != null; a = old.next()) {
        record(ChangeKind.REMOVED, a[old.key]);
      }
      for (; b != null; b = now.next()) {
        record(ChangeKind.ADDED, b[now.key]);
      }
      long[] removedAdded = new long[2];
      nullKeys.report(removedAdded, sink);
      return new Result(key, added + removedAdded[1], removed + removedAdded[0], changed);
    }

    private void record(ChangeKind kind, Object value) throws IOException {
      switch (kind) {
        case ADDED:
          added++;
          break;
        case REMOVED:
          removed++;
          break;
        default:
          changed++;
      }
      if (sink != null) {
        sink.accept(kind, value);
      }
    }

    private boolean sameValues(Object[] a, Object[] b) {
      for (int c = 1; c < common.length; c++) {
        Object x = a[common[c][0]];
        Object y = b[common[c][1]];
        boolean same =
            sameType[c]
                ? same(x, y)
                : Arrays.equals(
                    text.of(old.rows.types()[common[c][0]], x),
                    text.of(now.rows.types()[common[c][1]], y));
        if (!same) {
          return false;
        }
      }
      return true;
    }

    private static boolean same(Object x, Object y) {
      if (x == null || y == null) {
        return x == y;
      }
      if (x instanceof byte[]) {
        return Arrays.equals((byte[]) x, (byte[]) y);
      }
      if (x instanceof List) {
        List<?> xs = (List<?>) x;
        List<?> ys = (List<?>) y;
        if (xs.size() != ys.size()) {
          return false;
        }
        for (int i = 0; i < xs.size(); i++) {
          if (!same(xs.get(i), ys.get(i))) {
            return false;
          }
        }
        return true;
      }
      return x.equals(y);
    }

    /** The content of a NULL-key row: every common column as text. */
    private byte[][] content(Side side, Object[] row) {
      byte[][] cells = new byte[common.length][];
      int which = side == old ? 0 : 1;
      for (int c = 0; c < common.length; c++) {
        int i = common[c][which];
        cells[c] = text.of(side.rows.types()[i], row[i]);
      }
      return cells;
    }

    /** One version's stream of rows with a non-NULL key, checked to be strictly ascending. */
    private final class Side {
      final String role;
      final VersionRows rows;
      final int key;
      private Object previous;

      Side(String role, VersionRows rows, int key) {
        this.role = role;
        this.rows = rows;
        this.key = key;
      }

      Object[] next() throws IOException, DiffUnavailable {
        while (true) {
          Object[] row = rows.next();
          if (row == null) {
            return null;
          }
          Object value = row[key];
          if (value == null) {
            nullKeys.add(content(this, row), this == old ? 1 : -1);
            continue;
          }
          if (previous != null) {
            int c = order.compare(previous, value);
            if (c >= 0) {
              throw new DiffUnavailable(
                  (c == 0
                          ? "key column '"
                              + Merge.this.key
                              + "' is not unique: "
                              + show(value)
                              + " appears twice"
                          : "keys are out of order: "
                              + show(previous)
                              + " comes before "
                              + show(value))
                      + " in shard "
                      + rows.shard()
                      + " of the "
                      + role
                      + " version; rows cannot be matched by key");
            }
          }
          previous = value;
          return row;
        }
      }

      private String show(Object value) {
        byte[] t = text.of(rows.types()[key], value);
        String s = new String(t, StandardCharsets.UTF_8);
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
      }
    }
  }
}
