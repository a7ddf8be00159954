package org.amber.catalog.source;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The databases an operator lets clients read, by name. Clients only ever name a source; its
 * URL and password stay on the server.
 */
public final class SourceRegistry {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private final Map<String, Source> sources = new TreeMap<>();

  /**
   * @param urls source name → JDBC URL
   * @param environment where {@code AMBER_SOURCE_<NAME>_PASSWORD} is looked up
   */
  public SourceRegistry(Map<String, String> urls, Function<String, String> environment) {
    urls.forEach(
        (name, url) -> {
          requireName(name);
          if (url == null || !url.startsWith("jdbc:")) {
            throw new IllegalArgumentException(
                "source '" + name + "' needs a JDBC URL (jdbc:…), got '" + url + "'");
          }
          sources.put(name, new Source(name, url, environment.apply(passwordVariable(name))));
        });
  }

  public static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid source name '" + name + "': use 1-63 of a-z 0-9 _ -, starting with a letter or digit");
    }
  }

  /** {@code AMBER_SOURCE_<NAME>_PASSWORD}, NAME upper-cased with {@code -} as {@code _}. */
  public static String passwordVariable(String name) {
    return "AMBER_SOURCE_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_PASSWORD";
  }

  public Optional<Source> find(String name) {
    return Optional.ofNullable(sources.get(name));
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(sources.keySet());
  }

  /**
   * One configured database.
   *
   * @param password null when the URL carries it or none is needed
   */
  public record Source(String name, String jdbcUrl, String password) {
    @Override
    public String toString() {
      return name;
    }
  }
}
