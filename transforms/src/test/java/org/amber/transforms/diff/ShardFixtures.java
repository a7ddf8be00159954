package org.amber.transforms.diff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.artifacts.manifest.Partitioning;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.transforms.format.FormatOptions;
import org.amber.transforms.format.ShardOutput;
import org.amber.transforms.format.ShardWriter;
import org.amber.transforms.format.ShardWriters;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.SourceSchema;

/** Hand-built dataset versions: Parquet shards written by the real shard writer, and a manifest. */
final class ShardFixtures {
  private ShardFixtures() {}

  static Column column(String name, ColumnType.Kind kind) {
    return new Column(name, ColumnType.of(kind), true, kind.name().toLowerCase(), null);
  }

  static Column column(String name, ColumnType type) {
    return new Column(name, type, true, type.name(), null);
  }

  /**
   * Writes one version under {@code dir} and returns its manifest's URI.
   *
   * @param key the partition column, or null for none
   * @param shards the rows of each shard, in plan order
   */
  static String version(Path dir, String key, List<Column> columns, List<List<Object[]>> shards)
      throws IOException {
    Files.createDirectories(dir.resolve("parquet"));
    SourceSchema schema = new SourceSchema(columns);
    List<ShardFile> files = new ArrayList<>();
    long rows = 0;
    for (int i = 0; i < shards.size(); i++) {
      String path = String.format("parquet/part-%05d-of-%05d.parquet", i, shards.size());
      try (ShardWriter writer =
          ShardWriters.open(
              ShardFormat.PARQUET,
              new ShardOutput(Files.newOutputStream(dir.resolve(path))),
              path,
              schema,
              FormatOptions.DEFAULT)) {
        for (Object[] row : shards.get(i)) {
          writer.write(row);
        }
        files.add(writer.finish());
      }
      rows += shards.get(i).size();
    }
    Manifest manifest =
        new Manifest(
                Manifest.VERSION,
                "t",
                schema.toManifestSchema(),
                rows,
                new Partitioning(key, shards.size()),
                Map.of(ShardFormat.PARQUET.key(), new FormatFiles(files, "zstd", null)),
                null)
            .withDigest();
    Path manifestPath = dir.resolve("manifest.json");
    Files.write(manifestPath, ManifestJson.canonicalBytes(manifest));
    return manifestPath.toUri().toString();
  }

  static Object[] row(Object... values) {
    return values;
  }

  static byte[] utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
