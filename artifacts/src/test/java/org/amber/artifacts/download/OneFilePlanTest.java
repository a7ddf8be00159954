package org.amber.artifacts.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.OneFile;
import org.amber.artifacts.manifest.Partitioning;
import org.amber.artifacts.manifest.SchemaField;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.junit.jupiter.api.Test;

class OneFilePlanTest {
  private static final String SHA = "ab".repeat(32);

  @Test
  void csvTakesTheFirstShardWholeAndSkipsTheLaterHeaderMembers() {
    Manifest m =
        manifest(
            "csv.gz",
            new FormatFiles(
                List.of(csv(0, 100, 30), csv(1, 50, 30), csv(2, 30, 30)),
                null,
                new OneFile(140, SHA, null)));

    OneFilePlan plan = OneFilePlan.of(m, ShardFormat.CSV_GZ).orElseThrow();

    assertEquals(
        List.of(
            new Piece("csv/part-00000-of-00003.csv.gz", 0, 100),
            new Piece("csv/part-00001-of-00003.csv.gz", 30, 20),
            new Piece("csv/part-00002-of-00003.csv.gz", 30, 0)),
        plan.pieces());
    assertEquals(120, plan.length());
    assertEquals("compound.csv.gz", plan.fileName());
  }

  @Test
  void ndjsonConcatenatesTheShardsAsTheyAre() {
    Manifest m =
        manifest(
            "ndjson.gz",
            new FormatFiles(
                List.of(
                    file("ndjson/part-00000-of-00002.ndjson.gz", 7, null, null),
                    file("ndjson/part-00001-of-00002.ndjson.gz", 9, null, null)),
                null,
                null));

    OneFilePlan plan = OneFilePlan.of(m, ShardFormat.NDJSON_GZ).orElseThrow();

    assertEquals(16, plan.length());
    assertEquals(2, plan.pieces().size());
  }

  @Test
  void parquetIsMagicThenEveryShardsRowGroupsThenTheMergedFooter() {
    OneFile.FooterFile footer = new OneFile.FooterFile(OneFile.FooterFile.PATH, 300, SHA);
    Manifest m =
        manifest(
            "parquet",
            new FormatFiles(
                List.of(
                    file("parquet/part-00000-of-00002.parquet", 1000, null, 200L),
                    file("parquet/part-00001-of-00002.parquet", 250, null, 246L)),
                "zstd",
                new OneFile(1100, SHA, footer)));

    OneFilePlan plan = OneFilePlan.of(m, ShardFormat.PARQUET).orElseThrow();

    assertEquals(
        List.of(
            new Piece("parquet/part-00000-of-00002.parquet", 0, 4),
            new Piece("parquet/part-00000-of-00002.parquet", 4, 796),
            // An empty shard has magic and footer only: it adds nothing.
            new Piece("parquet/part-00001-of-00002.parquet", 4, 0),
            new Piece(OneFile.FooterFile.PATH, 0, 300)),
        plan.pieces());
    assertEquals(4 + 796 + 300, plan.length());
  }

  @Test
  void manifestsWithoutWhatAssemblingNeedsHaveNoPlan() {
    Manifest noFooter =
        manifest(
            "parquet",
            new FormatFiles(
                List.of(file("parquet/part-00000-of-00001.parquet", 100, null, null)),
                "zstd",
                null));
    Manifest noHeaderBytes =
        manifest(
            "csv.gz",
            new FormatFiles(
                List.of(csv(0, 100, 30), file("csv/part-00001-of-00003.csv.gz", 50, null, null)),
                null,
                null));

    assertTrue(OneFilePlan.of(noFooter, ShardFormat.PARQUET).isEmpty());
    assertTrue(OneFilePlan.of(noHeaderBytes, ShardFormat.CSV_GZ).isEmpty());
    assertTrue(OneFilePlan.of(noFooter, ShardFormat.CSV_GZ).isEmpty());
  }

  private static ShardFile csv(int index, long bytes, long headerBytes) {
    return file(ShardFormat.CSV_GZ.shardPath(index, 3), bytes, headerBytes, null);
  }

  private static ShardFile file(String path, long bytes, Long headerBytes, Long footerBytes) {
    return new ShardFile(path, 1, bytes, SHA, headerBytes, footerBytes);
  }

  private static Manifest manifest(String format, FormatFiles files) {
    return new Manifest(
        Manifest.VERSION,
        "compound",
        List.of(new SchemaField("id", "int64", false, "int8")),
        3,
        new Partitioning("id", files.files().size()),
        Map.of(format, files),
        null);
  }
}
