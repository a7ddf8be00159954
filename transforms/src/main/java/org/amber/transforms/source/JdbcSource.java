package org.amber.transforms.source;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A database to read from: its JDBC URL, the password kept apart from it, and the statement
 * timeout every session gets. Serializable so that workers can open their own connections.
 */
public final class JdbcSource implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern PASSWORD_IN_URL =
      Pattern.compile("([?&;]password=)[^&;]*", Pattern.CASE_INSENSITIVE);

  /** Which reader a source gets. */
  public enum Kind {
    /** Exported snapshots, binary COPY, histogram partition plans. */
    POSTGRESQL,
    /** Any other JDBC database: one transaction per partition, no shared snapshot. */
    GENERIC
  }

  private final String url;
  private final String password;
  private final long statementTimeoutMillis;

  public JdbcSource(String url, String password, long statementTimeoutMillis) {
    if (url == null || !url.startsWith("jdbc:")) {
      throw new IllegalArgumentException("--source must be a JDBC URL (jdbc:postgresql://…), got '" + url + "'");
    }
    this.url = url;
    this.password = password;
    this.statementTimeoutMillis = statementTimeoutMillis;
  }

  public Kind kind() {
    return url.startsWith("jdbc:postgresql:") ? Kind.POSTGRESQL : Kind.GENERIC;
  }

  public long statementTimeoutMillis() {
    return statementTimeoutMillis;
  }

  /** The URL with any password removed: safe for logs, errors and build records. */
  public String redactedUrl() {
    return PASSWORD_IN_URL.matcher(url).replaceAll("$1***");
  }

  /** Opens a new connection with auto-commit off; the caller owns the transaction. */
  public Connection connect() throws SQLException {
    Properties properties = new Properties();
    if (password != null && !password.isEmpty()) {
      properties.setProperty("password", password);
    }
    if (kind() == Kind.POSTGRESQL) {
      properties.setProperty("ApplicationName", "amber");
      properties.setProperty("connectTimeout", "10");
    }
    Connection connection = DriverManager.getConnection(url, properties);
    connection.setAutoCommit(false);
    return connection;
  }
}
