package org.amber.transforms.source;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.jdbc.JdbcIO;

/**
 * A database to read from: its JDBC URL, where its password comes from, and the statement timeout
 * every session gets. Serializable so that workers can open their own connections.
 *
 * <p>The password is never a field: a {@link SourcePassword} reference is, resolved only in {@link
 * #connect()} and {@link #dataSourceConfiguration()}, so a serialized pipeline (Dataflow's job
 * graph, a template) holds no password. A password written in the URL is taken out of it at once
 * (the URL keeps {@code password=***}) and held as an {@link SourcePassword#inProcess in-process}
 * password.
 *
 * <p>PostgreSQL sessions start read-only ({@code default_transaction_read_only=on}) and with {@code
 * standard_conforming_strings=on}, as startup options merged after any {@code options} the operator
 * put in the URL (a later {@code -c} wins), so that every session lexes a query the way the query
 * check did. They carry an application name ({@code amber build <id>}) so that a build's backends
 * can be found in {@code pg_stat_activity}.
 */
public final class JdbcSource implements Serializable {
  private static final long serialVersionUID = 3L;
  private static final Pattern PASSWORD_IN_URL =
      Pattern.compile("([?&;]password=)[^&;]*", Pattern.CASE_INSENSITIVE);
  private static final String STARTUP_OPTIONS =
      "-c default_transaction_read_only=on -c standard_conforming_strings=on";

  /**
   * How often a backend running a query checks that its client is still there (PostgreSQL 14 or
   * newer): a build killed outright does not leave its query running to the statement timeout.
   */
  private static final String CONNECTION_CHECK_INTERVAL = "2s";

  /** Which reader a source gets. */
  public enum Kind {
    /** Exported snapshots, binary COPY, histogram partition plans. */
    POSTGRESQL,
    /** Any other JDBC database: one transaction per partition, no shared snapshot. */
    GENERIC
  }

  /** The URL with any password replaced by {@code ***}. */
  private final String url;

  private final SourcePassword password;
  private final long statementTimeoutMillis;
  private final String buildId;

  /**
   * A source whose password (if any) this JVM holds: see {@link SourcePassword#inProcess}.
   *
   * @param password null when the URL carries it or none is needed
   */
  public JdbcSource(String url, String password, long statementTimeoutMillis) {
    this(checkedUrl(url), SourcePassword.inProcess(password), statementTimeoutMillis, null);
  }

  /** A source whose password is looked up where a connection is made. */
  public static JdbcSource of(String url, SourcePassword password, long statementTimeoutMillis) {
    return new JdbcSource(checkedUrl(url), password, statementTimeoutMillis, null);
  }

  private JdbcSource(
      String url, SourcePassword password, long statementTimeoutMillis, String buildId) {
    String inUrl = passwordInUrl(url);
    // The URL's own password wins, as it did when the driver read it from the URL.
    this.password = inUrl != null ? SourcePassword.inProcess(inUrl) : password;
    this.url = redact(url);
    this.statementTimeoutMillis = statementTimeoutMillis;
    this.buildId = buildId;
  }

  private static String checkedUrl(String url) {
    if (url == null || !url.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "--source must be a JDBC URL (jdbc:postgresql://…), got '"
              + (url == null ? null : redact(url))
              + "'");
    }
    return url;
  }

  /** The same source whose sessions belong to one build: named after it, cancelled with it. */
  public JdbcSource forBuild(String buildId) {
    return new JdbcSource(url, password, statementTimeoutMillis, buildId);
  }

  /** Where the password comes from. */
  public SourcePassword password() {
    return password;
  }

  /** The build this source's sessions belong to, or null. */
  public String buildId() {
    return buildId;
  }

  public Kind kind() {
    return url.startsWith("jdbc:postgresql:") ? Kind.POSTGRESQL : Kind.GENERIC;
  }

  public long statementTimeoutMillis() {
    return statementTimeoutMillis;
  }

  /** The URL with any password removed: safe for logs, errors and build records. */
  public String redactedUrl() {
    return url;
  }

  private static String redact(String url) {
    return PASSWORD_IN_URL.matcher(url).replaceAll("$1***");
  }

  /** The password a URL carries (decoded as pgjdbc decodes it), or null; {@code ***} is none. */
  private static String passwordInUrl(String url) {
    Matcher matcher = PASSWORD_IN_URL.matcher(url);
    if (!matcher.find()) {
      return null;
    }
    String raw = matcher.group().substring(matcher.group(1).length());
    if (raw.equals("***")) {
      return null; // already taken out (forBuild of a redacted URL)
    }
    if (url.startsWith("jdbc:postgresql:")) {
      Properties parsed = org.postgresql.Driver.parseURL(url, null);
      if (parsed != null && parsed.getProperty("password") != null) {
        return parsed.getProperty("password");
      }
    }
    return raw;
  }

  /** The URL without its password parameter: the password goes as a connection property. */
  static String withoutPassword(String url) {
    String kept = url.replaceAll("(?i)[&;]password=[^&;]*", "");
    kept = kept.replaceAll("(?i)\\?password=[^&;]*&", "?");
    return kept.replaceAll("(?i)\\?password=[^&;]*$", "");
  }

  /** The application name the source's PostgreSQL sessions carry. */
  public String applicationName() {
    return buildId == null ? "amber" : "amber build " + buildId;
  }

  /**
   * The data source JdbcIO pools for this source, with the password resolved: made on the worker
   * that connects, never kept in anything serialized. Its own display data shows the URL
   * unredacted, so it is never shown.
   */
  public JdbcIO.DataSourceConfiguration dataSourceConfiguration() throws SQLException {
    String connectUrl = withoutPassword(url);
    JdbcIO.DataSourceConfiguration configuration =
        JdbcIO.DataSourceConfiguration.create(
            DriverManager.getDriver(connectUrl).getClass().getName(), connectUrl);
    String resolved = password.resolve();
    return resolved == null ? configuration : configuration.withPassword(resolved);
  }

  /** Opens a new connection with auto-commit off; the caller owns the transaction. */
  public Connection connect() throws SQLException {
    Properties properties = new Properties();
    String resolved = password.resolve();
    if (resolved != null) {
      properties.setProperty("password", resolved);
    }
    String connectUrl = withoutPassword(url);
    if (kind() == Kind.POSTGRESQL) {
      properties.setProperty("ApplicationName", applicationName());
      properties.setProperty("connectTimeout", "10");
      String operatorOptions = postgresUrlOption(url, "options");
      properties.setProperty(
          "options",
          operatorOptions == null ? STARTUP_OPTIONS : operatorOptions + " " + STARTUP_OPTIONS);
      // The simple query protocol lets the server run several statements sent as one.
      properties.setProperty("preferQueryMode", "extended");
      // A URL parameter would override a property: these replace the URL's.
      connectUrl =
          withoutUrlParameter(withoutUrlParameter(connectUrl, "options"), "preferQueryMode");
    } else if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
      // With multi-statements on, the server would run a ';'-separated list sent as one.
      properties.setProperty("allowMultiQueries", "false");
      connectUrl = withoutUrlParameter(connectUrl, "allowMultiQueries");
    }
    Connection connection = DriverManager.getConnection(connectUrl, properties);
    try {
      if (kind() == Kind.POSTGRESQL && connection.getMetaData().getDatabaseMajorVersion() >= 14) {
        try (Statement statement = connection.createStatement()) {
          statement.execute(
              "SET client_connection_check_interval = '" + CONNECTION_CHECK_INTERVAL + "'");
        }
      }
      connection.setAutoCommit(false);
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** A URL parameter as pgjdbc decodes it, or null. */
  private static String postgresUrlOption(String url, String name) {
    Properties parsed = org.postgresql.Driver.parseURL(url, null);
    return parsed == null ? null : parsed.getProperty(name);
  }

  static String withoutUrlParameter(String url, String name) {
    int question = url.indexOf('?');
    if (question < 0) {
      return url;
    }
    List<String> kept = new ArrayList<>();
    for (String parameter : url.substring(question + 1).split("&")) {
      if (!parameter.isEmpty() && !parameter.equals(name) && !parameter.startsWith(name + "=")) {
        kept.add(parameter);
      }
    }
    return url.substring(0, question) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }
}
