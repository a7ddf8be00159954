package org.amber.transforms.postgres;

import java.sql.Connection;
import org.amber.transforms.partition.Partition;
import org.amber.transforms.partition.PartitionPlan;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.source.JdbcSource;
import org.amber.transforms.source.PartitionReader;
import org.amber.transforms.source.RowCursor;
import org.amber.transforms.source.SourceRelation;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * Reads a partition of a PostgreSQL relation in a READ ONLY REPEATABLE READ transaction that
 * imports the build's exported snapshot (or, with no snapshot id, in a transaction of its own),
 * streaming it with binary COPY in plan order.
 */
public final class PostgresPartitionReader implements PartitionReader {
  private static final long serialVersionUID = 1L;

  private final JdbcSource source;
  private final SourceRelation relation;
  private final SourceSchema schema;
  private final PartitionPlan plan;
  private final String snapshotId;

  /**
   * @param snapshotId the exported snapshot every partition imports; null reads without one
   */
  public PostgresPartitionReader(
      JdbcSource source,
      SourceRelation relation,
      SourceSchema schema,
      PartitionPlan plan,
      String snapshotId) {
    this.source = source;
    this.relation = relation;
    this.schema = schema;
    this.plan = plan;
    this.snapshotId = snapshotId;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    builder
        .add(DisplayData.item("source", source.redactedUrl()).withLabel("Source"))
        .addIfNotNull(DisplayData.item("snapshotId", snapshotId).withLabel("Exported snapshot"));
  }

  @Override
  public RowCursor read(Partition partition) throws Exception {
    Connection connection = PostgresSessions.openReadTransaction(source, snapshotId);
    try {
      String select =
          "SELECT "
              + schema.selectList()
              + " FROM "
              + relation.fromClause()
              + " WHERE "
              + partition.predicate()
              + " ORDER BY "
              + plan.orderBy();
      return new CopyBinaryCursor(connection, select, schema);
    } catch (Exception e) {
      PostgresSessions.abandon(connection);
      throw e;
    }
  }
}
