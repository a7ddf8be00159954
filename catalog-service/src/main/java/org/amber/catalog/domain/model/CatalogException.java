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

  /**
   * The part of a request an invalid one is refused for, in the domain's terms; the HTTP layer
   * names it by its own field.
   */
  public enum Part {
    DATASET_NAME,
    SOURCE,
    QUERY,
    TABLE,
    FORMATS,
    PARTITION_COLUMN,
    PARTITIONS,
    DESCRIPTION,
    LICENSE,
    CREATORS,
    EXPIRY
  }

  private final Kind kind;
  private final Part part;

  public CatalogException(Kind kind, String message) {
    this(kind, null, message);
  }

  public CatalogException(Kind kind, Part part, String message) {
    super(message);
    this.kind = kind;
    this.part = part;
  }

  public static CatalogException invalid(Part part, String message) {
    return new CatalogException(Kind.INVALID, part, message);
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

  /** The part of the request at fault, or null. */
  public Part part() {
    return part;
  }
}
