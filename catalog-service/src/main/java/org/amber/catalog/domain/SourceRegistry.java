package org.amber.catalog.domain;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.amber.transforms.source.JdbcSource;
import org.amber.transforms.source.QueryCheck;

/**
 * The databases an operator lets clients read, by name. Clients only ever name a source; its URL
 * and password stay on the server.
 */
public final class SourceRegistry {
  /** {@code amber serve}'s default statement timeout. */
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofHours(2);

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private final Map<String, Source> sources = new TreeMap<>();

  /**
   * @param urls source name → JDBC URL
   * @param environment where {@code AMBER_SOURCE_<NAME>_PASSWORD} is looked up
   */
  public SourceRegistry(Map<String, String> urls, Function<String, String> environment) {
    this(urls, Map.of(), DEFAULT_STATEMENT_TIMEOUT, environment);
  }

  /**
   * @param timeouts source name → its statement timeout, where it differs from {@code timeout}
   * @param timeout every other source's statement timeout
   */
  public SourceRegistry(
      Map<String, String> urls,
      Map<String, Duration> timeouts,
      Duration timeout,
      Function<String, String> environment) {
    urls.forEach(
        (name, url) -> {
          requireName(name);
          if (url == null || !url.startsWith("jdbc:")) {
            throw new IllegalArgumentException(
                "source '" + name + "' needs a JDBC URL (jdbc:…), got '" + url + "'");
          }
          sources.put(
              name,
              new Source(
                  name,
                  url,
                  environment.apply(passwordVariable(name)),
                  timeouts.getOrDefault(name, timeout)));
        });
    for (String name : timeouts.keySet()) {
      if (!sources.containsKey(name)) {
        throw new IllegalArgumentException(
            "a statement timeout is set for source '" + name + "', which is not configured");
      }
    }
  }

  public static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid source name '"
              + name
              + "': use 1-63 of a-z 0-9 _ -, starting with a letter or digit");
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
   * Asks the source's own parser whether it reads {@code query} as one subquery.
   *
   * @return the query as builds will run it
   * @throws QueryCheck.Refused with the source's reason when it does not
   * @throws SQLException when the source cannot be asked
   */
  public String checkQuery(Source source, String query) throws SQLException {
    return QueryCheck.check(source.jdbcSource(), query);
  }

  /**
   * One configured database.
   *
   * @param password null when the URL carries it or none is needed
   * @param statementTimeout the longest any statement of a build may run on it
   */
  public record Source(String name, String jdbcUrl, String password, Duration statementTimeout) {
    /** How the JDBC-only source classes of the pipelines see it. */
    public JdbcSource jdbcSource() {
      return new JdbcSource(jdbcUrl, password, statementTimeout.toMillis());
    }

    public boolean isPostgres() {
      return jdbcSource().kind() == JdbcSource.Kind.POSTGRESQL;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
