package org.amber.artifacts.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Canonical JSON for manifests and build records: object keys sorted, no insignificant whitespace,
 * UTF-8. The content digest is taken over exactly these bytes, so everyone who writes or checks a
 * manifest must go through here.
 */
public final class ManifestJson {
  /** The one mapper for canonical output. Thread-safe once configured. */
  public static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private ManifestJson() {}

  public static byte[] canonicalBytes(Object value) {
    try {
      return CANONICAL.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write canonical JSON", e);
    }
  }

  public static Manifest readManifest(byte[] json) throws IOException {
    return CANONICAL.readValue(json, Manifest.class);
  }

  public static <T> T read(byte[] json, Class<T> type) throws IOException {
    return CANONICAL.readValue(json, type);
  }
}
