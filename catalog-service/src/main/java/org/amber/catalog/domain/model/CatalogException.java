package org.amber.catalog.domain.model;

/**
 * A request the catalog refuses, with the reason in words a client can act on. The kind decides the
 * HTTP status; the domain never names one.
 */
public class CatalogException extends RuntimeException {
  /** Why the request was refused. */
  public enum Kind {
    /** Well-formed but not acceptable: an invalid name, an unknown source, a bad TTL. */
    INVALID,
    NOT_FOUND,
    /** Contradicts the current state: deleting a pinned version, cancelling a finished build. */
    CONFLICT,
    /** The thing existed and is gone for good. */
    GONE
  }

  private final Kind kind;
  private final String field;

  public CatalogException(Kind kind, String message) {
    this(kind, null, message);
  }

  public CatalogException(Kind kind, String field, String message) {
    super(message);
    this.kind = kind;
    this.field = field;
  }

  public static CatalogException invalid(String field, String message) {
    return new CatalogException(Kind.INVALID, field, message);
  }

  public static CatalogException notFound(String message) {
    return new CatalogException(Kind.NOT_FOUND, message);
  }

  public static CatalogException conflict(String message) {
    return new CatalogException(Kind.CONFLICT, message);
  }

  public static CatalogException gone(String message) {
    return new CatalogException(Kind.GONE, message);
  }

  public Kind kind() {
    return kind;
  }

  /** The request field at fault, or null. */
  public String field() {
    return field;
  }
}
