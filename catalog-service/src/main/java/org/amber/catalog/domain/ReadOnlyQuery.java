package org.amber.catalog.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.amber.transforms.source.QueryCheck;

/**
 * Rejects anything but a single read-only {@code SELECT} (optionally led by {@code WITH}) before a
 * build is started, with a reason a person can act on.
 *
 * <p>This is a lexical check of PostgreSQL syntax: comments, string literals (including {@code
 * E'…'} and dollar quoting) and quoted identifiers are skipped, then the statement must be one and
 * must start with SELECT or WITH, and none of the words that write or lock may appear. It is the
 * first line of defence; the pipeline also reads inside a READ ONLY transaction, which stops side
 * effects hidden in function calls.
 */
public final class ReadOnlyQuery {
  /**
   * The largest query in UTF-8 bytes: what a build's process accepts on its stdin (the query never
   * goes on a command line, so the kernel's argument limit does not apply).
   */
  public static final int MAX_BYTES = QueryCheck.MAX_BYTES;

  private static final Set<String> WRITING_WORDS =
      Set.of(
          "INSERT",
          "UPDATE",
          "DELETE",
          "MERGE",
          "INTO",
          "CREATE",
          "ALTER",
          "DROP",
          "TRUNCATE",
          "GRANT",
          "REVOKE",
          "COPY",
          "CALL",
          "LOCK",
          "VACUUM",
          "REINDEX",
          "CLUSTER",
          "REFRESH",
          "COMMENT",
          "SECURITY",
          "LISTEN",
          "NOTIFY");

  private ReadOnlyQuery() {}

  /**
   * Checks a query and returns it without a trailing semicolon or trailing comments, so that the
   * pipeline can wrap it as a subquery.
   *
   * @throws IllegalArgumentException with the reason when {@code sql} is not a single read-only
   *     SELECT
   */
  public static String normalise(String sql) {
    if (sql == null || sql.isBlank()) {
      throw new IllegalArgumentException("the query is empty");
    }
    if (sql.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "the query is larger than " + MAX_BYTES + " bytes (UTF-8)");
    }
    List<String> words = new ArrayList<>();
    int statementsEnded = 0;
    int endOfLastToken = 0;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (isSpace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        i = endOfLine(sql, i);
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        i = endOfBlockComment(sql, i);
      } else if (c == '\''
          || ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'')
          || c == '"'
          || (c == '$' && dollarTag(sql, i) != null)) {
        if (statementsEnded > 0) {
          throw new IllegalArgumentException("the query must be a single statement");
        }
        i = endOfQuoted(sql, i);
        endOfLastToken = i;
      } else if (c == ';') {
        if (statementsEnded > 0) {
          throw new IllegalArgumentException("the query must be a single statement");
        }
        statementsEnded++;
        i++;
      } else if (isIdentifierStart(c)) {
        int start = i;
        while (i < n
            && (isIdentifierStart(sql.charAt(i))
                || isDigit(sql.charAt(i))
                || sql.charAt(i) == '$')) {
          i++;
        }
        if (statementsEnded > 0) {
          throw new IllegalArgumentException("the query must be a single statement");
        }
        words.add(sql.substring(start, i).toUpperCase(Locale.ROOT));
        endOfLastToken = i;
      } else {
        if (statementsEnded > 0) {
          throw new IllegalArgumentException("the query must be a single statement");
        }
        i++;
        endOfLastToken = i;
      }
    }
    if (words.isEmpty() || !(words.get(0).equals("SELECT") || words.get(0).equals("WITH"))) {
      throw new IllegalArgumentException(
          "the query must be a single read-only SELECT (or WITH … SELECT)");
    }
    for (int w = 0; w < words.size(); w++) {
      String word = words.get(w);
      if (WRITING_WORDS.contains(word)) {
        throw new IllegalArgumentException(
            "the query must be read-only: '"
                + word
                + "' is not allowed (quote it if it names a column)");
      }
      if (word.equals("FOR")
          && w + 1 < words.size()
          && Set.of("SHARE", "KEY", "NO").contains(words.get(w + 1))) {
        throw new IllegalArgumentException(
            "the query must be read-only: row locks (FOR …) are not allowed");
      }
    }
    return sql.substring(0, endOfLastToken).strip();
  }

  /**
   * The end of the string literal, quoted identifier or dollar-quoted string starting at {@code i}.
   */
  private static int endOfQuoted(String sql, int i) {
    char c = sql.charAt(i);
    if (c == '\'') {
      return endOfString(sql, i + 1, false);
    }
    if (c == 'E' || c == 'e') {
      return endOfString(sql, i + 2, true);
    }
    if (c == '"') {
      return endOfQuotedIdentifier(sql, i + 1);
    }
    String tag = dollarTag(sql, i);
    int close = sql.indexOf(tag, i + tag.length());
    if (close < 0) {
      throw new IllegalArgumentException("the query has an unterminated " + tag + " quote");
    }
    return close + tag.length();
  }

  /** PostgreSQL ends a {@code --} comment at a carriage return as well as a line feed. */
  private static int endOfLine(String sql, int i) {
    int n = sql.length();
    while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
      i++;
    }
    return Math.min(n, i + 1);
  }

  /**
   * PostgreSQL's identifier characters: ASCII letters, {@code _} and every non-ASCII character (its
   * lexer works on bytes: any byte from 0x80 up), so {@code €$x$} is one identifier, not {@code €}
   * before a dollar quote.
   */
  private static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  }

  /** PostgreSQL's white space only: a Unicode space is an identifier character to it. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int endOfBlockComment(String sql, int i) {
    int depth = 0;
    int n = sql.length();
    while (i < n) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    throw new IllegalArgumentException("the query has an unterminated /* comment");
  }

  private static int endOfString(String sql, int i, boolean backslashEscapes) {
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == '\'') {
        if (i + 1 < n && sql.charAt(i + 1) == '\'') {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    throw new IllegalArgumentException("the query has an unterminated string literal");
  }

  private static int endOfQuotedIdentifier(String sql, int i) {
    int n = sql.length();
    while (i < n) {
      if (sql.charAt(i) == '"') {
        if (i + 1 < n && sql.charAt(i + 1) == '"') {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    throw new IllegalArgumentException("the query has an unterminated quoted identifier");
  }

  /** The {@code $tag$} opening a dollar-quoted string at {@code i}, or null. */
  private static String dollarTag(String sql, int i) {
    int j = i + 1;
    while (j < sql.length() && (isIdentifierStart(sql.charAt(j)) || isDigit(sql.charAt(j)))) {
      j++;
    }
    if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !isDigit(sql.charAt(i + 1)))) {
      return sql.substring(i, j + 1);
    }
    return null;
  }
}
