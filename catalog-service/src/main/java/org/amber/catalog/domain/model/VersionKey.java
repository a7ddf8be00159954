package org.amber.catalog.domain.model;

/** Names one version: dataset and version number. */
public record VersionKey(String dataset, int number) {
  @Override
  public String toString() {
    return dataset + " v" + number;
  }
}
