package org.amber.catalog.http;

import org.amber.catalog.domain.model.CatalogException.Part;

/** The request field that carries each part of a request the domain may refuse. */
final class RequestFieldNames {
  private RequestFieldNames() {}

  static String of(Part part) {
    return switch (part) {
      case DATASET_NAME -> "name";
      case SOURCE -> "source";
      case QUERY -> "query";
      case TABLE -> "table";
      case FORMATS -> "formats";
      case PARTITION_COLUMN -> "partition_column";
      case PARTITIONS -> "partitions";
      case DESCRIPTION -> "description";
      case LICENSE -> "license";
      case CREATORS -> "creators";
      case EXPIRY -> "expires_at";
    };
  }
}
