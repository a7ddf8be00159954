package org.amber.catalog.http;

/**
 * A request field that cannot be read as what it should be: answered 422 naming the field by its
 * JSON name. Raised only while the HTTP layer parses a request; the domain refuses in its own terms
 * ({@link org.amber.catalog.domain.model.CatalogException}).
 */
final class InvalidField extends RuntimeException {
  private final String field;

  InvalidField(String field, String message) {
    super(message);
    this.field = field;
  }

  String field() {
    return field;
  }
}
