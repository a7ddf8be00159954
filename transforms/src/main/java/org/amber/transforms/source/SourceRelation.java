package org.amber.transforms.source;

import java.io.Serializable;

/**
 * What a build reads: a table or a query, as a relation that can be selected from under the alias
 * {@code q}. A query's own {@code ORDER BY} is not relied on: every partition orders its rows
 * itself.
 */
public final class SourceRelation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String table;
  private final String query;

  private SourceRelation(String table, String query) {
    this.table = table;
    this.query = query;
  }

  /** A table, named as the source resolves it (already quoted where needed). */
  public static SourceRelation table(String qualifiedName) {
    return new SourceRelation(qualifiedName, null);
  }

  /**
   * A query, normalised as {@link QueryCheck#normalise} does; it is run only after {@link
   * QueryCheck} accepted it.
   */
  public static SourceRelation query(String sql) {
    return new SourceRelation(null, QueryCheck.normalise(sql));
  }

  public boolean isTable() {
    return table != null;
  }

  public String table() {
    return table;
  }

  /**
   * The relation under alias {@code q}: {@code schema.t q} or {@code (SELECT …\n) q}. The newline
   * after a query ends any {@code --} comment it ends with, so the comment cannot swallow the
   * closing parenthesis (the query check wraps it the same way).
   */
  public String fromClause() {
    return isTable() ? table + " q" : "(" + query + "\n) q";
  }

  /** The SQL a person would run to see the same rows; recorded in the build record. */
  public String sql() {
    return isTable() ? "SELECT * FROM " + table : query;
  }
}
