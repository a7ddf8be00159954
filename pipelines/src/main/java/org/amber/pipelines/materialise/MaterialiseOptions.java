package org.amber.pipelines.materialise;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Every parameter of the materialise pipeline. On the command line they are written in either form,
 * {@code --partition-column id} or {@code --partitionColumn=id}; any other Beam option ({@code
 * --runner}, {@code --project}, …) passes through. {@code amber materialise --help} is rendered
 * from these descriptions: an option without a {@code @Default} literal or
 * {@code @Validation.Required} says its default in words ("Default: …").
 */
public interface MaterialiseOptions extends PipelineOptions {

  @Description(
      "JDBC URL of the database to read, e.g. jdbc:postgresql://host:5432/db?user=reader. The"
          + " password comes from --source-password-secret, else the environment variable"
          + " AMBER_SOURCE_PASSWORD of the process that connects, else the URL (local runs only).")
  @Validation.Required
  String getSource();

  void setSource(String value);

  @Description(
      "Secret Manager secret version holding the source's password, e.g."
          + " projects/my-project/secrets/chem-reader/versions/latest. It is read where"
          + " connections are made (the launcher and each worker), never put in the job. Default:"
          + " none; the password comes from AMBER_SOURCE_PASSWORD or the URL.")
  String getSourcePasswordSecret();

  void setSourcePasswordSecret(String value);

  @Description(
      "The SELECT whose result becomes the dataset. Default: none; give exactly one of --query,"
          + " --query-file and --table.")
  String getQuery();

  void setQuery(String value);

  @Description(
      "A table (schema.name, or a name on the search path) whose rows become the dataset. Default:"
          + " none; give exactly one of --query, --query-file and --table.")
  String getTable();

  void setTable(String value);

  @Description("Name of the dataset: 1-63 of a-z 0-9 . _ -, starting with a letter or digit.")
  @Validation.Required
  String getDataset();

  void setDataset(String value);

  @Description(
      "Where datasets are written: file:///abs/dir or gs://bucket/prefix. Default: the folder"
          + " amber-data in the current directory.")
  @Default.InstanceFactory(CurrentDirectoryOutput.class)
  String getOutput();

  void setOutput(String value);

  @Description("Formats to write, comma-separated: parquet, csv.gz, ndjson.gz.")
  @Default.String("parquet")
  String getFormats();

  void setFormats(String value);

  @Description(
      "Column to split the rows by (integer, numeric, date or timestamp). Default: the table's"
          + " single-column primary key, else no split (one partition).")
  String getPartitionColumn();

  void setPartitionColumn(String value);

  @Description(
      "Number of partitions, each read on its own connection and written as one shard per format."
          + " Default: chosen from the estimated size, at most --max-connections.")
  Integer getPartitions();

  void setPartitions(Integer value);

  @Description("Most connections to the source at once; also caps the chosen number of partitions.")
  @Default.Integer(8)
  int getMaxConnections();

  void setMaxConnections(int value);

  @Description(
      "How the partitions see one point in time: exported (all readers share one exported"
          + " snapshot), single (one transaction, one reader), none (each partition its own"
          + " transaction). Default: exported on PostgreSQL, none on other databases.")
  String getSnapshot();

  void setSnapshot(String value);

  @Description(
      "Read in this exported snapshot, held open by someone else (e.g. the catalog service)."
          + " Default: none; the build exports its own.")
  String getSnapshotId();

  void setSnapshotId(String value);

  @Description(
      "Longest time the snapshot may be held open, as an ISO-8601 duration (PT6H, PT30M); then it"
          + " is released and the build fails.")
  @Default.String("PT6H")
  String getMaxSnapshotHold();

  void setMaxSnapshotHold(String value);

  @Description("statement_timeout of every source session, as an ISO-8601 duration; PT0S for none.")
  @Default.String("PT2H")
  String getStatementTimeout();

  void setStatementTimeout(String value);

  @Description("Compression of Parquet columns: zstd or snappy.")
  @Default.String("zstd")
  String getParquetCompression();

  void setParquetCompression(String value);

  @Description("gzip level of CSV and NDJSON shards: 1 (fastest) to 9 (smallest).")
  @Default.Integer(4)
  int getGzipLevel();

  void setGzipLevel(int value);

  @Description(
      "Identifier of this build; names its staging folder and build record. Default: a new id per"
          + " build (the UTC time and a random suffix).")
  @Default.InstanceFactory(BuildIds.class)
  String getBuildId();

  void setBuildId(String value);

  @Description(
      "Progress on stderr: auto (a bar on a terminal, plain lines otherwise), plain, json (one JSON"
          + " event per line) or none.")
  @Default.String("auto")
  String getProgress();

  void setProgress(String value);

  @Description(
      "The manifest of an earlier version of this dataset (file:///…/manifest.json or gs://…)."
          + " After the commit the build counts the rows added, removed and changed against it, by"
          + " key, and records them in its summary and build record; a diff that cannot be made"
          + " is recorded as unavailable and never fails the build. Default: none.")
  String getCompareWith();

  void setCompareWith(String value);

  /** {@code file://<working directory>/amber-data}. */
  class CurrentDirectoryOutput implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      return java.nio.file.Path.of("").toAbsolutePath().resolve("amber-data").toUri().toString();
    }
  }
}
