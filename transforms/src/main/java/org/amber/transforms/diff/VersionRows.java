package org.amber.transforms.diff;

import java.io.IOException;
import java.util.List;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.storage.ArtifactInputFile;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * The rows of one version as one stream: its Parquet shards in plan order, each read one row group
 * at a time, so memory holds at most one row group whatever the version's size. Rows come out in
 * the manifest schema's column order, values in their canonical Java form.
 */
final class VersionRows implements AutoCloseable {
  private final String base;
  private final List<ShardFile> shards;
  private final List<String> names;
  private final ColumnType[] types;
  private int nextShard;
  private ParquetFileReader reader;
  private int[] fields;
  private MessageColumnIO io;
  private MessageType schema;
  private RecordReader<Group> records;
  private long left;
  private int shard = -1;

  /**
   * @param manifestUri where {@code manifest} was read from; its shards lie beside it
   * @throws DiffUnavailable when the version has no Parquet shards
   */
  VersionRows(String manifestUri, Manifest manifest, String role) throws DiffUnavailable {
    FormatFiles parquet = manifest.formats().get(ShardFormat.PARQUET.key());
    if (parquet == null) {
      throw new DiffUnavailable(
          "the "
              + role
              + " version has no Parquet shards (formats: "
              + String.join(", ", manifest.formats().keySet())
              + "); changes are counted from Parquet");
    }
    this.base = manifestUri.substring(0, manifestUri.lastIndexOf('/') + 1);
    this.shards = parquet.files();
    this.names = manifest.schema().stream().map(f -> f.name()).toList();
    this.types =
        manifest.schema().stream().map(f -> ColumnType.parse(f.type())).toArray(ColumnType[]::new);
  }

  ColumnType[] types() {
    return types;
  }

  List<String> names() {
    return names;
  }

  /** The shard the last row came from (its index in plan order). */
  int shard() {
    return shard;
  }

  /** The next row, or null after the last one. */
  Object[] next() throws IOException {
    while (left == 0) {
      if (!nextRowGroup()) {
        return null;
      }
    }
    left--;
    Group group = records.read();
    Object[] row = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      row[i] = ParquetValues.read(group, fields[i], types[i]);
    }
    return row;
  }

  private boolean nextRowGroup() throws IOException {
    while (true) {
      if (reader != null) {
        PageReadStore pages = reader.readNextRowGroup();
        if (pages != null) {
          left = pages.getRowCount();
          records = io.getRecordReader(pages, new GroupRecordConverter(schema));
          return true;
        }
        reader.close();
        reader = null;
      }
      if (nextShard == shards.size()) {
        return false;
      }
      ShardFile file = shards.get(nextShard);
      shard = nextShard++;
      reader = ParquetFileReader.open(ArtifactInputFile.of(base + file.path()));
      schema = reader.getFooter().getFileMetaData().getSchema();
      io = new ColumnIOFactory().getColumnIO(schema);
      fields = new int[names.size()];
      for (int i = 0; i < fields.length; i++) {
        if (!schema.containsField(names.get(i))) {
          throw new IOException(file.path() + " has no column '" + names.get(i) + "'");
        }
        fields[i] = schema.getFieldIndex(names.get(i));
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
