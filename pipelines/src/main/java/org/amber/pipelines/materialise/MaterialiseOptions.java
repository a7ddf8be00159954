package org.amber.pipelines.materialise;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Every parameter of the materialise pipeline. On the command line they are written in either
 * form, {@code --partition-column id} or {@code --partitionColumn=id}; any other Beam option
 * ({@code --runner}, {@code --project}, …) passes through.
 */
public interface MaterialiseOptions extends PipelineOptions {

  @Description(
      "JDBC URL of the source, e.g. jdbc:postgresql://host:5432/db?user=u. The password comes from"
          + " the environment variable AMBER_SOURCE_PASSWORD, or the URL.")
  @Validation.Required
  String getSource();

  void setSource(String value);

  @Description("The SELECT whose result becomes the dataset. Give this or --table.")
  String getQuery();

  void setQuery(String value);

  @Description("A table (schema.name) whose rows become the dataset. Give this or --query.")
  String getTable();

  void setTable(String value);

  @Description("Dataset name: 1-63 of a-z 0-9 . _ -, starting with a letter or digit.")
  @Validation.Required
  String getDataset();

  void setDataset(String value);

  @Description("Output root URI (file:///abs/dir or gs://bucket/prefix). Default: file://$PWD/amber-data.")
  @Default.InstanceFactory(CurrentDirectoryOutput.class)
  String getOutput();

  void setOutput(String value);

  @Description("Comma-separated formats to write: parquet, csv.gz, ndjson.gz.")
  @Default.String("parquet")
  String getFormats();

  void setFormats(String value);

  @Description(
      "Column to split the rows by (integer, numeric, date or timestamp). Default: the table's"
          + " single-column primary key, else one partition.")
  String getPartitionColumn();

  void setPartitionColumn(String value);

  @Description("Number of partitions (= shards per format). Default: from the estimated size, capped by --max-connections.")
  Integer getPartitions();

  void setPartitions(Integer value);

  @Description("Most connections to the source at once; also caps the chosen number of partitions.")
  @Default.Integer(8)
  int getMaxConnections();

  void setMaxConnections(int value);

  @Description(
      "How partitions see one point in time: exported (one exported snapshot shared by all readers;"
          + " PostgreSQL default), single (one transaction, one reader), none (each partition its own"
          + " transaction; the default for non-PostgreSQL sources).")
  String getSnapshot();

  void setSnapshot(String value);

  @Description("An exported snapshot held by someone else (e.g. the catalog service) to read instead of exporting one.")
  String getSnapshotId();

  void setSnapshotId(String value);

  @Description("Longest time the snapshot may be held (ISO-8601 duration); then it is released and the build fails.")
  @Default.String("PT6H")
  String getMaxSnapshotHold();

  void setMaxSnapshotHold(String value);

  @Description("statement_timeout of every source session (ISO-8601 duration; PT0S for none).")
  @Default.String("PT2H")
  String getStatementTimeout();

  void setStatementTimeout(String value);

  @Description("Parquet column compression: zstd or snappy.")
  @Default.String("zstd")
  String getParquetCompression();

  void setParquetCompression(String value);

  @Description("gzip level of CSV and NDJSON shards: 1 (fastest) to 9 (smallest); 6 is gzip's default.")
  @Default.Integer(6)
  int getGzipLevel();

  void setGzipLevel(int value);

  @Description("Identifier of this build (names its staging folder and build record). Default: time-based and unique.")
  @Default.InstanceFactory(BuildIds.class)
  String getBuildId();

  void setBuildId(String value);

  @Description("Progress on stderr: auto (a bar on a terminal, plain lines otherwise), plain, json, none.")
  @Default.String("auto")
  String getProgress();

  void setProgress(String value);

  /** {@code file://<working directory>/amber-data}. */
  class CurrentDirectoryOutput implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      return java.nio.file.Path.of("").toAbsolutePath().resolve("amber-data").toUri().toString();
    }
  }
}
