package org.amber.transforms.source;

/**
 * What a build reads and how it is split: exactly one of a table and a query, and the partitioning
 * asked for.
 *
 * @param table the table to read, as the operator named it, or null
 * @param query the query to read, or null
 * @param partitionColumn the partition column, or null to let the source choose
 * @param partitions the number of partitions, or null to let the source choose
 * @param maxConnections the most partitions the source chooses by itself
 */
public record ReadRequest(
    String table, String query, String partitionColumn, Integer partitions, int maxConnections) {

  public ReadRequest {
    if ((query == null) == (table == null)) {
      throw new IllegalArgumentException("give exactly one of --query and --table");
    }
  }
}
