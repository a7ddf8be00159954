package org.amber.catalog.artifact;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of files no manifest records a digest for ({@code manifest.json} itself, and the one-file
 * downloads of versions built before the manifest recorded them), computed once: the key names
 * content that never changes, so a cached digest never goes stale.
 */
public final class ComputedDigests {
  private static final int BUFFER = 64 * 1024;
  private final Cache<String, String> byKey = Caffeine.newBuilder().maximumSize(10_000).build();

  /** Hex SHA-256 of {@code body}, read once per {@code key}. */
  public String sha256(String key, Body body) {
    return byKey.get(key, k -> hash(body));
  }

  /** Hex SHA-256 of bytes in memory. */
  public static String sha256(byte[] bytes) {
    return hash(Body.of(bytes));
  }

  private static String hash(Body body) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
        body.copy(0, body.length(), Channels.newChannel(sink), ByteBuffer.allocate(BUFFER));
      }
      return HexFormat.of().formatHex(sha256.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
