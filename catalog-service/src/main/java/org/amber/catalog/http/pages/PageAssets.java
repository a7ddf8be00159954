package org.amber.catalog.http.pages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pages' own stylesheet and script, served by the catalog under {@code /assets/}. Each file's
 * name carries a digest of its bytes, so a browser may keep it for a year: a changed file is a new
 * name, and a page never meets a stale copy.
 */
public final class PageAssets {
  /** A file: its bytes and content type. */
  public record Asset(byte[] bytes, String contentType) {}

  private final Map<String, Asset> byName = new LinkedHashMap<>();
  private final String css;
  private final String js;

  public PageAssets() {
    css = add("pages", ".css", "text/css; charset=utf-8");
    js = add("pages", ".js", "text/javascript; charset=utf-8");
  }

  private String add(String base, String extension, String contentType) {
    byte[] bytes = read("pages/" + base + extension);
    String name = base + "-" + digest(bytes) + extension;
    byName.put(name, new Asset(bytes, contentType));
    return "/assets/" + name;
  }

  /** The stylesheet's path, e.g. {@code /assets/pages-1f0c2a3b4c5d.css}. */
  public String css() {
    return css;
  }

  public String js() {
    return js;
  }

  public Optional<Asset> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  private static String digest(byte[] bytes) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
          .substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(String resource) {
    try (InputStream in = PageAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        // A jar built without it fails at start-up, not on someone's first visit.
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
