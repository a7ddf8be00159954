package org.amber.transforms.source;

import java.io.Serializable;

/**
 * What a build reads: a table or a query, as a relation that can be selected from under the
 * alias {@code q}. A query's own {@code ORDER BY} is not relied on: every partition orders its
 * rows itself.
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

  public static SourceRelation query(String sql) {
    String trimmed = sql.strip();
    while (trimmed.endsWith(";")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
    }
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("--query is empty");
    }
    return new SourceRelation(null, trimmed);
  }

  public boolean isTable() {
    return table != null;
  }

  public String table() {
    return table;
  }

  /** The relation under alias {@code q}: {@code schema.t q} or {@code (SELECT …) q}. */
  public String fromClause() {
    return isTable() ? table + " q" : "(" + query + ") q";
  }

  /** The SQL a person would run to see the same rows; recorded in the build record. */
  public String sql() {
    return isTable() ? "SELECT * FROM " + table : query;
  }
}
