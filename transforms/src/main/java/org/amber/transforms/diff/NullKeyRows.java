package org.amber.transforms.diff;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * Rows whose key is NULL, which no key can match: compared as a multiset of row contents. A row of
 * the old version without an equal row in the new one counts as removed, and the other way round as
 * added; such a row is never "changed". Each distinct content is held as a 128-bit hash and a
 * count, so memory grows with the number of NULL-key rows (about 100 bytes each), not with the
 * table.
 */
final class NullKeyRows {
  private final Map<ByteBuffer, long[]> counts = new HashMap<>();
  private final MessageDigest sha256;

  NullKeyRows() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Adds a row's content, +1 for the old version and -1 for the new one. */
  void add(byte[][] content, int sign) {
    for (byte[] cell : content) {
      if (cell == null) {
        sha256.update((byte) 0);
      } else {
        sha256.update((byte) 1);
        sha256.update(ByteBuffer.allocate(4).putInt(0, cell.length).array());
        sha256.update(cell);
      }
    }
    ByteBuffer hash = ByteBuffer.wrap(sha256.digest(), 0, 16).slice();
    counts.computeIfAbsent(hash, h -> new long[1])[0] += sign;
  }

  /** Counts the rows left unmatched: removed (old only) and added (new only). */
  void report(long[] removedAdded, ChangedKeys sink) throws IOException {
    for (long[] count : counts.values()) {
      long n = count[0];
      if (n > 0) {
        removedAdded[0] += n;
      } else {
        removedAdded[1] -= n;
      }
      if (sink != null) {
        for (long i = 0; i < Math.abs(n); i++) {
          sink.accept(n > 0 ? ChangeKind.REMOVED : ChangeKind.ADDED, null);
        }
      }
    }
  }
}
