package org.amber.transforms.format;

import java.io.IOException;
import org.amber.artifacts.manifest.ShardFile;

/**
 * Writes one shard file of one format from canonical rows (see {@link
 * org.amber.transforms.schema.ColumnType}). Obtain one from {@link ShardWriters#open}.
 */
public interface ShardWriter extends AutoCloseable {

  void write(Object[] row) throws IOException;

  /** Completes and closes the file; returns what the manifest records about it. */
  ShardFile finish() throws IOException;

  /** Abandons an unfinished file (on failure); a no-op after {@link #finish()}. */
  @Override
  void close();
}
