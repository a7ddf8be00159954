package org.amber.catalog.store;

import java.sql.SQLException;

/** The catalog database failed to answer; a server-side fault, never the client's. */
public final class CatalogStoreException extends RuntimeException {
  public CatalogStoreException(SQLException cause) {
    super("catalog database error: " + cause.getMessage(), cause);
  }
}
