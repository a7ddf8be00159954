package org.amber.transforms.source;

import java.io.Serializable;
import org.amber.transforms.partition.Partition;

/**
 * Reads one partition of a plan from the source, over a session of its own. Serializable: the
 * export transform ships it to the workers.
 */
public interface PartitionReader extends Serializable {

  /** Opens a session and a cursor over the partition's rows, in the plan's order. */
  RowCursor read(Partition partition) throws Exception;
}
