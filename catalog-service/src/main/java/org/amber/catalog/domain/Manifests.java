package org.amber.catalog.domain;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.catalog.domain.model.Version;

/**
 * The manifests completed versions point at, parsed once: content never changes under a digest, so
 * a cached parse never goes stale.
 */
final class Manifests {
  private final Cache<String, Manifest> byDigest = Caffeine.newBuilder().maximumSize(1000).build();

  /** The manifest a version points at, or null before it completed. */
  Manifest of(Version v) {
    if (v.manifestJson() == null || v.contentDigest() == null) {
      return null;
    }
    return byDigest.get(v.contentDigest(), digest -> parse(v));
  }

  private static Manifest parse(Version v) {
    try {
      return ManifestJson.readManifest(v.manifestJson().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("the catalog holds an unreadable manifest for " + v.key(), e);
    }
  }
}
