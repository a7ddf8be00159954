package org.amber.pipelines.cli;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns whatever ended a command into one readable line: the cause a person can act on, not the
 * chain of wrappers a runner adds (pipeline execution, user code, reflection).
 */
final class ErrorReport {
  private ErrorReport() {}

  static String describe(Throwable error) {
    Throwable cause = mostTelling(error);
    if (cause instanceof PSQLException) {
      PSQLException sql = (PSQLException) cause;
      ServerErrorMessage server = sql.getServerErrorMessage();
      String state = sql.getSQLState() == null ? "" : sql.getSQLState();
      if (server == null && state.startsWith("08")) {
        return "cannot connect to the source: " + oneLine(sql.getMessage());
      }
      if (state.startsWith("28")) {
        return "the source refused the login: "
            + oneLine(server != null ? server.getMessage() : sql.getMessage());
      }
      return "the source rejected the query: "
          + oneLine(server != null ? server.getMessage() : sql.getMessage());
    }
    if (cause instanceof SQLException) {
      SQLException sql = (SQLException) cause;
      String state = sql.getSQLState() == null ? "" : sql.getSQLState();
      String prefix =
          state.startsWith("08") ? "cannot connect to the source: " : "the source reported: ";
      return prefix + oneLine(sql.getMessage());
    }
    if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
      return "cannot connect: " + oneLine(cause.getMessage());
    }
    String message = cause.getMessage();
    return message == null || message.isBlank()
        ? cause.getClass().getSimpleName()
        : oneLine(message);
  }

  /**
   * Our own explanation if one wraps the SQL error (it says what happened to the build), else the
   * innermost SQL error, else the outermost error of our own, else the root cause.
   */
  private static Throwable mostTelling(Throwable error) {
    Throwable root = error;
    Throwable own = null;
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException) {
        return own instanceof IllegalStateException ? own : t;
      }
      if (own == null && isOwn(t)) {
        own = t;
      }
      root = t;
    }
    return own != null ? own : root;
  }

  private static boolean isOwn(Throwable t) {
    return (t instanceof IllegalArgumentException
            || t instanceof IllegalStateException
            || t instanceof UnsupportedOperationException
            || t instanceof java.io.IOException)
        && t.getMessage() != null
        && !t.getClass().getName().startsWith("org.apache.beam.");
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
