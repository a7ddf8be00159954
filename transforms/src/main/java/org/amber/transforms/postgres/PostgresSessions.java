package org.amber.transforms.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.amber.transforms.source.JdbcSource;

/**
 * Opens the read sessions every PostgreSQL reader uses: read only, a statement timeout, and fixed
 * session settings so that text renderings (intervals, enums cast to text) do not depend on the
 * server's or the role's defaults.
 */
public final class PostgresSessions {
  private PostgresSessions() {}

  /**
   * A connection inside {@code BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY}, importing
   * {@code snapshotId} when it is not null. Auto-commit stays on so that the transaction is ours
   * to begin; end it with {@link #end(Connection)}.
   */
  public static Connection openReadTransaction(JdbcSource source, String snapshotId)
      throws SQLException {
    Connection connection = source.connect();
    try {
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "SET statement_timeout = " + source.statementTimeoutMillis()
                + "; SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'"
                + "; SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 1"
                + "; SET default_transaction_read_only = on");
        statement.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        if (snapshotId != null) {
          statement.execute("SET TRANSACTION SNAPSHOT " + quoteLiteral(snapshotId));
        }
      }
      return connection;
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
  }

  /** Ends the read transaction and closes the connection. */
  public static void end(Connection connection) throws SQLException {
    try (connection;
        Statement statement = connection.createStatement()) {
      statement.execute("COMMIT");
    }
  }

  static String quoteLiteral(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** Quotes an identifier for PostgreSQL: {@code "Weird ""name"""}. */
  public static String quoteIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
