package org.amber.transforms.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.amber.transforms.source.JdbcSource;
import org.amber.transforms.source.LiveQueries;
import org.postgresql.PGConnection;

/**
 * Opens the read sessions every PostgreSQL reader uses: read only, a statement timeout, and fixed
 * session settings so that text renderings (intervals, enums cast to text) do not depend on the
 * server's or the role's defaults.
 */
public final class PostgresSessions {
  private PostgresSessions() {}

  /**
   * A connection inside {@code BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY}, importing {@code
   * snapshotId} when it is not null. Auto-commit stays on so that the transaction is ours to begin;
   * end it with {@link #end(Connection)}. The session is registered with {@link LiveQueries} under
   * the source's build until then.
   */
  public static Connection openReadTransaction(JdbcSource source, String snapshotId)
      throws SQLException {
    Connection connection = source.connect();
    try {
      PGConnection pg = connection.unwrap(PGConnection.class);
      LiveQueries.register(source.buildId(), connection, pg::cancelQuery);
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "SET statement_timeout = "
                + source.statementTimeoutMillis()
                + "; SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'"
                + "; SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 1"
                + "; SET default_transaction_read_only = on");
        statement.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        if (snapshotId != null) {
          importSnapshot(statement, snapshotId);
        }
      }
      return connection;
    } catch (SQLException | RuntimeException e) {
      abandon(connection);
      throw e;
    }
  }

  private static void importSnapshot(Statement statement, String snapshotId) throws SQLException {
    try {
      statement.execute("SET TRANSACTION SNAPSHOT " + quoteLiteral(snapshotId));
    } catch (SQLException e) {
      // "invalid snapshot identifier" (22023), or "snapshot … does not exist" (42704) once the
      // exporting transaction has ended: either way the snapshot cannot be read any more.
      throw new IllegalStateException(
          "the snapshot "
              + snapshotId
              + " is no longer held (its coordinator ended or held it longer than"
              + " the maximum hold time); nothing was committed: "
              + e.getMessage(),
          e);
    }
  }

  /** Ends the read transaction and closes the connection. */
  public static void end(Connection connection) throws SQLException {
    try (connection;
        Statement statement = connection.createStatement()) {
      statement.execute("COMMIT");
    } finally {
      LiveQueries.unregister(connection);
    }
  }

  /** Closes a session that failed part way (its transaction ends with it). */
  public static void abandon(Connection connection) throws SQLException {
    LiveQueries.unregister(connection);
    connection.close();
  }

  static String quoteLiteral(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** Quotes an identifier for PostgreSQL: {@code "Weird ""name"""}. */
  public static String quoteIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
