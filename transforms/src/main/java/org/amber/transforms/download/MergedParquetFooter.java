package org.amber.transforms.download;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * The footer that turns every shard's row groups, laid end to end after one {@code PAR1}, into one
 * valid Parquet file (see {@link org.amber.artifacts.download.OneFilePlan}).
 *
 * <p>Each shard's row groups are copied with every absolute offset moved by where the shard's data
 * lands in the assembled file. Page indexes and bloom filters are left out of the merged footer:
 * they sit in the shards' tails, which the assembled file does not contain, and the page locations
 * inside an offset index are absolute offsets that could only be moved by rewriting the shard.
 * Readers then fall back to the row-group statistics, which stay exact.
 */
public final class MergedParquetFooter {
  /** The first and last four bytes of every Parquet file. */
  public static final int MAGIC_BYTES = 4;

  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private MergedParquetFooter() {}

  /**
   * Where a file's row-group data ends: the first byte of its tail (page indexes, bloom filters,
   * footer). {@value #MAGIC_BYTES} for a file without row groups.
   */
  public static long dataEnd(FileMetaData footer) {
    long end = MAGIC_BYTES;
    for (RowGroup group : footer.getRow_groups()) {
      for (ColumnChunk chunk : group.getColumns()) {
        ColumnMetaData column = chunk.getMeta_data();
        if (column == null) {
          throw new IllegalArgumentException("a column chunk without metadata (encrypted?)");
        }
        end = Math.max(end, chunkStart(column) + column.getTotal_compressed_size());
      }
    }
    return end;
  }

  private static long chunkStart(ColumnMetaData column) {
    long start = column.getData_page_offset();
    if (column.isSetDictionary_page_offset() && column.getDictionary_page_offset() > 0) {
      start = Math.min(start, column.getDictionary_page_offset());
    }
    if (column.isSetIndex_page_offset() && column.getIndex_page_offset() > 0) {
      start = Math.min(start, column.getIndex_page_offset());
    }
    return start;
  }

  /**
   * The footer at the end of a Parquet file's last bytes ({@code ... FileMetaData, length, PAR1}).
   *
   * @throws IOException when the bytes do not end in a readable footer
   */
  public static FileMetaData footerOf(byte[] tail) throws IOException {
    int n = tail.length;
    if (n < 8 || !endsWithMagic(tail)) {
      throw new IOException("does not end in a Parquet footer (no trailing PAR1)");
    }
    long length =
        (tail[n - 8] & 0xffL)
            | (tail[n - 7] & 0xffL) << 8
            | (tail[n - 6] & 0xffL) << 16
            | (tail[n - 5] & 0xffL) << 24;
    if (length > n - 8) {
      throw new IOException(
          "its footer length " + length + " is more than the " + (n - 8) + " bytes before it");
    }
    return Util.readFileMetaData(
        new ByteArrayInputStream(tail, (int) (n - 8 - length), (int) length));
  }

  private static boolean endsWithMagic(byte[] bytes) {
    for (int i = 0; i < MAGIC_BYTES; i++) {
      if (bytes[bytes.length - MAGIC_BYTES + i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The merged footer object: serialized {@link FileMetaData}, its 4-byte little-endian length and
   * {@code PAR1}.
   *
   * @param footers every shard's footer, in shard order
   * @param dataLengths every shard's row-group bytes ({@code [4, dataEnd)}), in shard order
   * @throws IllegalStateException when the shards disagree on what must be common to one file
   */
  public static byte[] merge(List<FileMetaData> footers, List<Long> dataLengths)
      throws IOException {
    if (footers.isEmpty() || footers.size() != dataLengths.size()) {
      throw new IllegalArgumentException("one footer and one data length per shard");
    }
    FileMetaData first = footers.get(0);
    List<RowGroup> groups = new ArrayList<>();
    long rows = 0;
    long shift = 0; // shard i's data starts at 4 in its file and at 4 + shift in the merged one
    for (int i = 0; i < footers.size(); i++) {
      FileMetaData footer = footers.get(i);
      requireSame(i, "schema", first.getSchema(), footer.getSchema());
      requireSame(i, "version", first.getVersion(), footer.getVersion());
      requireSame(
          i, "key/value metadata", first.getKey_value_metadata(), footer.getKey_value_metadata());
      requireSame(i, "created_by", first.getCreated_by(), footer.getCreated_by());
      requireSame(i, "column orders", first.getColumn_orders(), footer.getColumn_orders());
      if (footer.isSetEncryption_algorithm() || footer.isSetFooter_signing_key_metadata()) {
        throw new IllegalStateException("parquet shard " + i + " is encrypted; cannot merge it");
      }
      if (dataEnd(footer) != MAGIC_BYTES + dataLengths.get(i)) {
        throw new IllegalStateException(
            "parquet shard "
                + i
                + ": its row groups end at "
                + dataEnd(footer)
                + ", not at "
                + (MAGIC_BYTES + dataLengths.get(i)));
      }
      for (RowGroup group : footer.getRow_groups()) {
        groups.add(shifted(group, shift));
      }
      rows += footer.getNum_rows();
      shift += dataLengths.get(i);
    }
    // ordinal is an i16 that only encrypted files rely on: keep it where it fits, else drop it
    boolean ordinals = groups.size() <= Short.MAX_VALUE;
    for (int i = 0; i < groups.size(); i++) {
      if (ordinals) {
        groups.get(i).setOrdinal((short) i);
      } else {
        groups.get(i).unsetOrdinal();
      }
    }
    FileMetaData merged = new FileMetaData(first.getVersion(), first.getSchema(), rows, groups);
    if (first.isSetKey_value_metadata()) {
      merged.setKey_value_metadata(first.getKey_value_metadata());
    }
    // the shards' writer string (fixed for a parquet-java release): readers use it to know which
    // writer bugs to work around, and every byte of data was written by that writer
    merged.setCreated_by(first.getCreated_by());
    if (first.isSetColumn_orders()) {
      merged.setColumn_orders(first.getColumn_orders());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Util.writeFileMetaData(merged, out);
    int length = out.size();
    out.write(length & 0xff);
    out.write(length >>> 8 & 0xff);
    out.write(length >>> 16 & 0xff);
    out.write(length >>> 24 & 0xff);
    out.write(MAGIC);
    return out.toByteArray();
  }

  private static RowGroup shifted(RowGroup original, long shift) {
    RowGroup group = original.deepCopy();
    if (group.isSetFile_offset()) {
      group.setFile_offset(group.getFile_offset() + shift);
    }
    for (ColumnChunk chunk : group.getColumns()) {
      if (chunk.isSetCrypto_metadata() || chunk.isSetEncrypted_column_metadata()) {
        throw new IllegalStateException("an encrypted column chunk; cannot merge it");
      }
      if (chunk.isSetFile_path()) {
        throw new IllegalStateException("a column chunk in another file; cannot merge it");
      }
      if (chunk.getFile_offset() > 0) {
        chunk.setFile_offset(chunk.getFile_offset() + shift);
      }
      // absent, not moved: see the class comment
      chunk.unsetOffset_index_offset();
      chunk.unsetOffset_index_length();
      chunk.unsetColumn_index_offset();
      chunk.unsetColumn_index_length();
      ColumnMetaData column = chunk.getMeta_data();
      column.setData_page_offset(column.getData_page_offset() + shift);
      if (column.isSetDictionary_page_offset()) {
        column.setDictionary_page_offset(column.getDictionary_page_offset() + shift);
      }
      if (column.isSetIndex_page_offset()) {
        column.setIndex_page_offset(column.getIndex_page_offset() + shift);
      }
      column.unsetBloom_filter_offset();
      column.unsetBloom_filter_length();
    }
    return group;
  }

  private static void requireSame(int shard, String what, Object first, Object other) {
    if (!java.util.Objects.equals(first, other)) {
      throw new IllegalStateException(
          "parquet shard " + shard + " has another " + what + " than shard 0; cannot merge them");
    }
  }
}
