package org.amber.transforms.source;

import java.io.Serializable;
import org.amber.transforms.partition.Partition;
import org.apache.beam.sdk.transforms.display.HasDisplayData;

/**
 * Reads one partition of a plan from the source, over a session of its own. Serializable: the
 * export transform ships it to the workers. Its display data says where it reads from, never with a
 * password.
 */
public interface PartitionReader extends Serializable, HasDisplayData {

  /** Opens a session and a cursor over the partition's rows, in the plan's order. */
  RowCursor read(Partition partition) throws Exception;
}
