package org.amber.bench;

import java.sql.ResultSet;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * The plain Beam recipe {@code scripts/bench} measures Amber against: {@code
 * JdbcIO.readWithPartitions} of the demo {@code binding_assay} table into Avro records, written
 * with {@code FileIO} and {@code ParquetIO.sink}, with the same partition count. Each partition is
 * its own transaction and rows pass through a shuffle, which is what Amber avoids.
 *
 * <p>Run as {@code java -jar bench/target/amber-bench.jar --source=JDBC_URL --output=DIR
 * --partitions=N}; it lives in its own module so that ParquetIO and parquet-avro never ship in
 * {@code amber-pipelines.jar}.
 */
public final class PlainBeamRecipe {
  /** Options of the baseline run. */
  public interface Options extends PipelineOptions {
    @Description("JDBC URL of the demo database")
    @Validation.Required
    String getSource();

    void setSource(String value);

    @Description("Output folder (a local path)")
    @Validation.Required
    String getOutput();

    void setOutput(String value);

    @Description("Partitions to read with, and shards to write")
    @Validation.Required
    Integer getPartitions();

    void setPartitions(Integer value);
  }

  static final Schema SCHEMA =
      SchemaBuilder.record("binding_assay")
          .fields()
          .requiredLong("id")
          .requiredLong("compound_id")
          .requiredString("target")
          .requiredString("assay_type")
          .optionalDouble("affinity_nm")
          .optionalString("pchembl")
          .requiredString("measured_on")
          .requiredLong("recorded_at")
          .optionalString("notes")
          .endRecord();

  private PlainBeamRecipe() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(Options.class);
    try {
      run(PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class));
    } catch (RuntimeException e) {
      // One line for scripts/bench's log: Beam's message already names the cause (a missing
      // option, a refused connection, the heap running out), its stack trace only buries it.
      System.err.println("plain Beam recipe failed: " + e.getMessage());
      System.exit(1);
    }
  }

  public static void run(Options options) {
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(
            JdbcIO.<GenericRecord>readWithPartitions()
                .withDataSourceConfiguration(
                    JdbcIO.DataSourceConfiguration.create(
                        "org.postgresql.Driver", options.getSource()))
                .withTable("binding_assay")
                .withPartitionColumn("id")
                .withNumPartitions(options.getPartitions())
                .withRowMapper(new AssayRowMapper())
                .withCoder(AvroCoder.of(GenericRecord.class, SCHEMA)))
        .apply(
            FileIO.<GenericRecord>write()
                .via(ParquetIO.sink(SCHEMA))
                .to(options.getOutput())
                .withNumShards(options.getPartitions())
                .withSuffix(".parquet"));
    pipeline.run().waitUntilFinish();
  }

  /** A named class: Beam 2.71's readWithPartitions fails in display data on a lambda row mapper. */
  static final class AssayRowMapper implements JdbcIO.RowMapper<GenericRecord> {
    @Override
    public GenericRecord mapRow(ResultSet rs) throws Exception {
      GenericData.Record record = new GenericData.Record(SCHEMA);
      record.put("id", rs.getLong("id"));
      record.put("compound_id", rs.getLong("compound_id"));
      record.put("target", rs.getString("target"));
      record.put("assay_type", rs.getString("assay_type"));
      double affinity = rs.getDouble("affinity_nm");
      record.put("affinity_nm", rs.wasNull() ? null : affinity);
      record.put("pchembl", rs.getString("pchembl"));
      record.put("measured_on", rs.getString("measured_on"));
      record.put("recorded_at", rs.getTimestamp("recorded_at").getTime() * 1000);
      record.put("notes", rs.getString("notes"));
      return record;
    }
  }
}
