package org.amber.artifacts.manifest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A SHA-256 digest written {@code sha256:<64 hex>}: a dataset version's identity for citation and
 * ETags. Its {@link #address()} ({@code sha256-<first 32 hex>}) names the folder the version's
 * files live in.
 */
public final class ContentDigest {
  private static final Pattern FORM = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final int ADDRESS_HEX_CHARS = 32;

  private final String hex;

  private ContentDigest(String hex) {
    this.hex = hex;
  }

  public static ContentDigest of(byte[] content) {
    return new ContentDigest(HexFormat.of().formatHex(sha256().digest(content)));
  }

  public static ContentDigest parse(String text) {
    if (text == null || !FORM.matcher(text).matches()) {
      throw new IllegalArgumentException("not a content digest: " + text);
    }
    return new ContentDigest(text.substring("sha256:".length()));
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  public String hex() {
    return hex;
  }

  public String address() {
    return "sha256-" + hex.substring(0, ADDRESS_HEX_CHARS);
  }

  @Override
  public String toString() {
    return "sha256:" + hex;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ContentDigest && ((ContentDigest) other).hex.equals(hex);
  }

  @Override
  public int hashCode() {
    return hex.hashCode();
  }
}
