package org.amber.transforms.format;

import java.util.Arrays;

/**
 * A column chunk's dictionary: each distinct value once, numbered in order of first appearance.
 * Open addressing over an array of ids, less than half full. After {@link #truncate} only the kept
 * entries are read (for the dictionary page): a chunk that falls back to PLAIN looks nothing up
 * again until {@link #clear}.
 */
abstract class ParquetDictionary {
  private static final int INITIAL_CAPACITY = 1 << 8;

  /** Ids plus one; 0 is an empty slot. */
  private int[] table = new int[INITIAL_CAPACITY];

  private int shift = 64 - Integer.numberOfTrailingZeros(INITIAL_CAPACITY);

  int size;

  abstract void grow(int capacity);

  int size() {
    return size;
  }

  void truncate(int size) {
    this.size = size;
  }

  void clear() {
    size = 0;
    if (table.length > INITIAL_CAPACITY) {
      table = new int[INITIAL_CAPACITY];
      shift = 64 - Integer.numberOfTrailingZeros(INITIAL_CAPACITY);
    } else {
      Arrays.fill(table, 0);
    }
  }

  /** Fibonacci hashing: the top bits of the hash times the golden ratio pick the slot. */
  final int slotOf(long hash) {
    return (int) ((hash * 0x9E3779B97F4A7C15L) >>> shift);
  }

  /** The id in a slot, -1 for an empty one. */
  final int idAt(int slot) {
    return table[slot] - 1;
  }

  final int next(int slot) {
    return (slot + 1) & (table.length - 1);
  }

  /** Numbers a new entry in the slot where its lookup ended; rehashes beyond half full. */
  final int insert(int slot) {
    int id = size++;
    table[slot] = id + 1;
    if (size * 2 >= table.length) {
      rehash(table.length * 2);
    }
    return id;
  }

  private void rehash(int capacity) {
    grow(capacity);
    table = new int[capacity];
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
    for (int id = 0; id < size; id++) {
      int slot = slotOf(hashOf(id));
      while (table[slot] != 0) {
        slot = next(slot);
      }
      table[slot] = id + 1;
    }
  }

  abstract long hashOf(int id);

  /** Entries of 4 or 8 bytes: ints, longs, and floats and doubles as their raw bits. */
  static final class Longs extends ParquetDictionary {
    private long[] keys = new long[INITIAL_CAPACITY / 2];

    int idOf(long key) {
      int slot = slotOf(key);
      for (int id = idAt(slot); id >= 0; id = idAt(slot)) {
        if (keys[id] == key) {
          return id;
        }
        slot = next(slot);
      }
      keys[size] = key;
      return insert(slot);
    }

    long key(int id) {
      return keys[id];
    }

    @Override
    void grow(int capacity) {
      keys = Arrays.copyOf(keys, capacity / 2);
    }

    @Override
    long hashOf(int id) {
      return keys[id];
    }
  }

  /** Byte-array entries (BINARY and FIXED_LEN_BYTE_ARRAY), the arrays themselves kept. */
  static final class Binaries extends ParquetDictionary {
    private byte[][] keys = new byte[INITIAL_CAPACITY / 2][];
    private int[] hashes = new int[INITIAL_CAPACITY / 2];
    private long bytes;

    int idOf(byte[] key) {
      int hash = Arrays.hashCode(key);
      int slot = slotOf(hash);
      for (int id = idAt(slot); id >= 0; id = idAt(slot)) {
        if (hashes[id] == hash && Arrays.equals(keys[id], key)) {
          return id;
        }
        slot = next(slot);
      }
      keys[size] = key;
      hashes[size] = hash;
      bytes += key.length;
      return insert(slot);
    }

    byte[] key(int id) {
      return keys[id];
    }

    /** Bytes of the entries themselves, without length prefixes. */
    long bytes() {
      return bytes;
    }

    @Override
    void truncate(int size) {
      for (int id = size; id < this.size; id++) {
        bytes -= keys[id].length;
        keys[id] = null;
      }
      super.truncate(size);
    }

    @Override
    void clear() {
      Arrays.fill(keys, 0, size, null);
      bytes = 0;
      super.clear();
    }

    @Override
    void grow(int capacity) {
      keys = Arrays.copyOf(keys, capacity / 2);
      hashes = Arrays.copyOf(hashes, capacity / 2);
    }

    @Override
    long hashOf(int id) {
      return hashes[id];
    }
  }
}
