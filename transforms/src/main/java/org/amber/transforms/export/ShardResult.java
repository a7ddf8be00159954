package org.amber.transforms.export;

import java.io.Serializable;
import java.util.List;
import org.amber.artifacts.manifest.ShardFile;

/**
 * What writing one partition produced: shard {@code index} of every format, in the order the
 * formats were requested, each with its row count, size and SHA-256.
 */
public record ShardResult(int index, List<ShardFile> files) implements Serializable {
  public ShardResult {
    files = List.copyOf(files);
  }
}
