package org.amber.transforms.jdbc;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;

/** How a generic JDBC source quotes identifiers, as its driver reports it. */
public record IdentifierQuoting(String quote) implements Serializable {

  public static IdentifierQuoting of(Connection connection) throws SQLException {
    String quote = connection.getMetaData().getIdentifierQuoteString();
    return new IdentifierQuoting(quote == null || quote.isBlank() ? "" : quote.strip());
  }

  public String quote(String identifier) {
    return quote + identifier.replace(quote.isEmpty() ? "\u0000" : quote, quote + quote) + quote;
  }

  public String column(String name) {
    return "q." + quote(name);
  }
}
