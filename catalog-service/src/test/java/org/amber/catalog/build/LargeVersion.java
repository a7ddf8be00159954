package org.amber.catalog.build;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.artifacts.manifest.OneFile;
import org.amber.artifacts.manifest.Partitioning;
import org.amber.artifacts.manifest.SchemaField;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.artifacts.protocol.BuildSummary;

/**
 * A committed version far larger than a test can export from a database in time: {@code shards}
 * NDJSON.gz shard files of incompressible bytes with a correct manifest (shard and one-file
 * digests), written straight to the content address as a build commits it. The service serves bytes
 * and never parses them, so what the bytes are does not matter, only that each is checkable.
 */
public final class LargeVersion {
  private static final int BLOCK = 1 << 20;

  private LargeVersion() {}

  public static BuildSummary write(
      String rootUri, String dataset, String buildId, int shards, long shardBytes)
      throws Exception {
    DatasetLayout layout = DatasetLayout.of(rootUri, dataset);
    Path staging = Files.createDirectories(Path.of(URI.create(layout.stagingDir(buildId))));
    ShardFormat format = ShardFormat.NDJSON_GZ;
    MessageDigest whole = MessageDigest.getInstance("SHA-256");
    SplittableRandom random = new SplittableRandom(shards * 31L + shardBytes);
    byte[] block = new byte[BLOCK];
    List<ShardFile> files = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      String path = format.shardPath(i, shards);
      Path file = staging.resolve(path);
      Files.createDirectories(file.getParent());
      MessageDigest shard = MessageDigest.getInstance("SHA-256");
      try (OutputStream out = Files.newOutputStream(file)) {
        for (long written = 0; written < shardBytes; ) {
          int n = (int) Math.min(BLOCK, shardBytes - written);
          for (int b = 0; b < n; b += 8) {
            long r = random.nextLong();
            for (int k = 0; k < 8 && b + k < n; k++) {
              block[b + k] = (byte) (r >>> (8 * k));
            }
          }
          out.write(block, 0, n);
          shard.update(block, 0, n);
          whole.update(block, 0, n);
          written += n;
        }
      }
      files.add(new ShardFile(path, 1, shardBytes, hex(shard), null, null));
    }
    OneFile download = new OneFile(shardBytes * shards, hex(whole), null);
    Manifest manifest =
        new Manifest(
                Manifest.VERSION,
                dataset,
                List.of(new SchemaField("blob", "string", false, "text")),
                shards,
                new Partitioning(null, shards),
                Map.of(format.key(), new FormatFiles(files, null, download)),
                null)
            .withDigest();
    Files.write(staging.resolve(DatasetLayout.MANIFEST), ManifestJson.canonicalBytes(manifest));
    Path addressDir = Path.of(URI.create(layout.addressDir(manifest.address())));
    Files.move(staging, addressDir, StandardCopyOption.ATOMIC_MOVE);
    return new BuildSummary(
        dataset,
        manifest.address(),
        layout.manifest(manifest.address()),
        manifest.contentDigest(),
        shards,
        shardBytes * shards,
        layout.buildRecord(buildId),
        null);
  }

  private static String hex(MessageDigest digest) throws IOException {
    return HexFormat.of().formatHex(digest.digest());
  }
}
