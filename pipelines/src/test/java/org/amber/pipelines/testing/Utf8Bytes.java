package org.amber.pipelines.testing;

import java.nio.charset.StandardCharsets;

/** Searches for text in bytes that are not text as a whole (serialized objects, JVM archives). */
public final class Utf8Bytes {
  private Utf8Bytes() {}

  /** True if the UTF-8 encoding of {@code needle} occurs anywhere in {@code haystack}. */
  public static boolean contains(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
