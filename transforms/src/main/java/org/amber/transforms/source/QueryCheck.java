package org.amber.transforms.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;
import org.postgresql.util.PSQLException;

/**
 * Accepts a client's query only when the source's own parser reads it as exactly one statement that
 * fits as a subquery: {@code SELECT * FROM (<query>\n) q WHERE false} is prepared and described
 * (Parse/Describe over the extended protocol, which refuses several statements in one Parse
 * message) and never executed. Every statement a build later makes of the query wraps the same text
 * the same way ({@link SourceRelation#fromClause()}), so it cannot mean anything else.
 *
 * <p>pgjdbc splits SQL at {@code ;} with a lexer of its own and would send the pieces as several
 * statements, so the wrapped text must first be one statement to pgjdbc as well — with {@code
 * standard_conforming_strings} on (how every source session starts) and off (a query may turn it
 * off for the rest of its session). JDBC escapes ({@code {fn …}}) and {@code ?} parameter markers,
 * which pgjdbc would rewrite before PostgreSQL sees them, are refused.
 *
 * <pre>{@code
 * String query = QueryCheck.check(source, clientText); // throws QueryCheck.Refused with the reason
 * }</pre>
 */
public final class QueryCheck {
  /** The largest query taken, in bytes of UTF-8: far beyond any hand-written SELECT. */
  public static final int MAX_BYTES = 1024 * 1024;

  /** The source's parser refused the query; the message says why, in its words. */
  public static final class Refused extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private QueryCheck() {}

  /**
   * The query as it will be built: trailing whitespace and semicolons removed. Removing them can
   * only change what a query means when they sat inside a quote, which then no longer closes and
   * the check below refuses it.
   */
  public static String normalise(String sql) {
    if (sql == null || sql.isBlank()) {
      throw new Refused("the query is empty");
    }
    if (sql.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new Refused("the query is larger than " + MAX_BYTES + " bytes (UTF-8)");
    }
    int end = sql.length();
    while (end > 0 && (Character.isWhitespace(sql.charAt(end - 1)) || sql.charAt(end - 1) == ';')) {
      end--;
    }
    String trimmed = sql.substring(0, end).stripLeading();
    if (trimmed.isEmpty()) {
      throw new Refused("the query is empty");
    }
    return trimmed;
  }

  /**
   * Opens a session of its own (read only, with the source's statement timeout), checks the query
   * and returns it normalised.
   *
   * @throws Refused when the source does not accept it as one subquery
   * @throws SQLException when the source cannot be asked
   */
  public static String check(JdbcSource source, String sql) throws SQLException {
    String query = normalise(sql);
    try (Connection connection = source.connect()) {
      if (source.kind() == JdbcSource.Kind.POSTGRESQL) {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
          statement.execute("BEGIN READ ONLY");
          statement.execute("SET LOCAL statement_timeout = " + source.statementTimeoutMillis());
        }
      } else {
        connection.setReadOnly(true);
      }
      try {
        checkIn(connection, source.kind(), query);
      } finally {
        if (source.kind() == JdbcSource.Kind.POSTGRESQL) {
          try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
          }
        } else {
          connection.rollback();
        }
      }
    }
    return query;
  }

  /**
   * Checks a normalised query on a connection the caller holds inside a read-only transaction (a
   * failed check leaves a PostgreSQL transaction aborted).
   */
  public static void checkIn(Connection connection, JdbcSource.Kind kind, String query)
      throws SQLException {
    String wrapped = "SELECT * FROM " + SourceRelation.query(query).fromClause() + " WHERE 1 = 0";
    if (kind == JdbcSource.Kind.POSTGRESQL) {
      requireOneJdbcStatement(wrapped, true);
      requireOneJdbcStatement(wrapped, false);
    }
    try (PreparedStatement statement = connection.prepareStatement(wrapped)) {
      if (kind == JdbcSource.Kind.POSTGRESQL) {
        statement.getMetaData(); // Parse and Describe only: nothing is executed
      } else {
        // Connectors that prepare on the client only learn the columns by running it; WHERE
        // 1 = 0 returns no rows, and the server refuses several statements in one.
        statement.setMaxRows(1);
        statement.executeQuery().close();
      }
    } catch (SQLException e) {
      if (isAboutTheQuery(e)) {
        throw new Refused("the source does not accept the query: " + reason(e));
      }
      throw e;
    }
  }

  /**
   * pgjdbc must send the wrapped text as one statement. Where its lexer cannot read the text at all
   * (an unterminated quote) it sends nothing: that is refused with standard conforming strings on
   * (the source then says why) and harmless with them off.
   */
  private static void requireOneJdbcStatement(String wrapped, boolean standardConformingStrings) {
    List<NativeQuery> statements;
    boolean rewritten;
    try {
      statements =
          Parser.parseJdbcSql(wrapped, standardConformingStrings, true, true, false, false);
      rewritten =
          !Parser.replaceProcessing(wrapped, true, standardConformingStrings).equals(wrapped);
    } catch (SQLException unreadable) {
      if (standardConformingStrings) {
        throw new Refused("the query has an unterminated quote, quoted name or comment");
      }
      return;
    }
    if (statements.size() != 1) {
      throw new Refused(
          "the query must be a single statement: it has a ';' outside quotes and comments"
              + (standardConformingStrings
                  ? ""
                  : " (reading a backslash before a quote as an escape)"));
    }
    if (statements.get(0).bindPositions.length > 0) {
      throw new Refused(
          "the query has a '?' outside quotes and comments, which JDBC reads as a parameter;"
              + " use the operator's function instead (e.g. jsonb_exists for jsonb ?)");
    }
    if (rewritten) {
      throw new Refused("the query has a JDBC escape ({fn …}, {d …}, …); write it in SQL");
    }
  }

  /**
   * True when the source refused the query itself rather than failing to answer: everything but
   * connection errors (08), resource and operator problems (53, 57 — a timeout included), system
   * errors (58) and internal errors (XX).
   */
  private static boolean isAboutTheQuery(SQLException e) {
    String state = e.getSQLState();
    if (state == null || state.length() < 2) {
      return false;
    }
    String kind = state.substring(0, 2);
    return !List.of("08", "53", "57", "58", "XX").contains(kind);
  }

  /** The server's own words, without the position (it points into the wrapped text). */
  private static String reason(SQLException e) {
    if (e instanceof PSQLException psql
        && psql.getServerErrorMessage() != null
        && psql.getServerErrorMessage().getMessage() != null) {
      return psql.getServerErrorMessage().getMessage();
    }
    String message = e.getMessage();
    if (message == null) {
      return "refused";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
