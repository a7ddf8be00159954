package org.amber.transforms.diff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.SchemaField;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.format.CellText;
import org.amber.transforms.format.FormatOptions;
import org.amber.transforms.format.ShardOutput;
import org.amber.transforms.format.ShardWriter;
import org.amber.transforms.format.ShardWriters;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.storage.ArtifactFiles;

/**
 * The changed keys of a diff as a small Parquet file: a {@code change} column ({@code added},
 * {@code removed} or {@code changed}) and the key column under its own name and type, so it can be
 * joined back to either version in any Parquet reader. When the key's type differs between the two
 * versions the key is written as its text. Written with the same writer as dataset shards.
 */
public final class ChangedKeysFile implements ChangedKeys, AutoCloseable {
  private final ShardWriter writer;
  private final ColumnType oldType;
  private final ColumnType newType;
  private final boolean asText;
  private final CellText text = new CellText();
  private long rows;

  private ChangedKeysFile(ShardWriter writer, ColumnType oldType, ColumnType newType) {
    this.writer = writer;
    this.oldType = oldType;
    this.newType = newType;
    this.asText = !oldType.equals(newType);
  }

  /**
   * Creates the file at {@code uri} for the diff of {@code before} and {@code after}.
   *
   * @throws DiffUnavailable when the versions have no common key column
   */
  public static ChangedKeysFile create(String uri, Manifest before, Manifest after)
      throws IOException, DiffUnavailable {
    String key = VersionDiff.key(before, after);
    SchemaField oldField = field(before, key);
    SchemaField newField = field(after, key);
    if (oldField == null || newField == null) {
      throw new DiffUnavailable("key column '" + key + "' is missing from a version's schema");
    }
    ColumnType oldType = ColumnType.parse(oldField.type());
    ColumnType newType = ColumnType.parse(newField.type());
    ColumnType keyType = oldType.equals(newType) ? newType : ColumnType.of(ColumnType.Kind.STRING);
    String changeColumn = key.equals("change") ? "change_kind" : "change";
    SourceSchema schema =
        new SourceSchema(
            List.of(
                new Column(
                    changeColumn, ColumnType.of(ColumnType.Kind.STRING), false, "text", null),
                new Column(key, keyType, true, newField.sourceType(), null)));
    ShardOutput out = new ShardOutput(ArtifactFiles.create(uri, "application/vnd.apache.parquet"));
    String name = uri.substring(uri.lastIndexOf('/') + 1);
    return new ChangedKeysFile(
        ShardWriters.open(ShardFormat.PARQUET, out, name, schema, FormatOptions.DEFAULT),
        oldType,
        newType);
  }

  private static SchemaField field(Manifest manifest, String name) {
    return manifest.schema().stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
  }

  @Override
  public void accept(ChangeKind kind, Object key) throws IOException {
    Object value = key;
    if (asText && key != null) {
      value = text.of(kind == ChangeKind.REMOVED ? oldType : newType, key);
    }
    writer.write(new Object[] {kind.label().getBytes(StandardCharsets.UTF_8), value});
    rows++;
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /** Completes the file; {@link #close} without it leaves an incomplete file to delete. */
  public void finish() throws IOException {
    writer.finish();
  }

  @Override
  public void close() {
    writer.close();
  }
}
