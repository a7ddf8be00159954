package org.amber.transforms.source;

/**
 * Rows of one partition, in plan order, as canonical values (see {@link
 * org.amber.transforms.schema.ColumnType}). Closing it ends the read transaction and releases the
 * connection.
 */
public interface RowCursor extends AutoCloseable {

  /** Advances to the next row; false at the end. */
  boolean next() throws Exception;

  /** The current row. The array may be reused by the next call to {@link #next()}. */
  Object[] row();

  @Override
  void close() throws Exception;
}
