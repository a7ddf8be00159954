package org.amber.transforms.source;

import java.sql.SQLException;

/**
 * The point in time a build reads, held from {@link SourceDialect#open} until {@link #close}.
 * Closing it releases an exported snapshot; a snapshot held past its maximum hold is released by
 * itself and {@link #expired} says so.
 */
public interface BuildSnapshot extends AutoCloseable {

  /**
   * Checks the query with the source's own parser ({@link QueryCheck}), then reads the schema and
   * computes the partition plan inside this snapshot.
   */
  PreparedSource prepare(ReadRequest request) throws SQLException;

  /** True when the snapshot was held past its maximum hold and released: the build must fail. */
  boolean expired();

  /** Releases the snapshot, if one is held. */
  @Override
  void close();
}
