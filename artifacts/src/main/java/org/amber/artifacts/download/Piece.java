package org.amber.artifacts.download;

/**
 * A run of bytes of one stored file.
 *
 * @param path relative to the content address, as the manifest names it
 * @param offset where the run starts in that file
 * @param length how many bytes it has
 */
public record Piece(String path, long offset, long length) {
  public Piece {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("a piece has a non-negative offset and length");
    }
  }
}
