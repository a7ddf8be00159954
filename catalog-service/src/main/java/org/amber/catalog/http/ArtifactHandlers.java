package org.amber.catalog.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.amber.artifacts.download.OneFilePlan;
import org.amber.artifacts.download.Piece;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.artifacts.manifest.ShardFormat;
import org.amber.catalog.artifact.ArtifactStore;
import org.amber.catalog.artifact.Body;
import org.amber.catalog.artifact.ComputedDigests;
import org.amber.catalog.domain.VersionService;
import org.amber.catalog.domain.model.CatalogException;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.domain.model.VersionStatus;
import org.amber.catalog.http.ArtifactResponse.Representation;

/**
 * A completed version's files, from the output root: {@code manifest.json}, each shard, each
 * format's one-file download (assembled from the shards on the fly) and {@code SHA256SUMS}. All go
 * through {@link ArtifactResponse}, so they share ranges, validators and digests, or the redirect
 * to a signed URL where the storage serves the file itself. Tombstones answer 410; only files the
 * manifest names are served.
 */
final class ArtifactHandlers {
  static final String SHA256SUMS = "SHA256SUMS";

  private final VersionService versions;
  private final ArtifactStore artifacts;
  private final ComputedDigests digests = new ComputedDigests();
  private final ArtifactResponse response;

  ArtifactHandlers(VersionService versions, ArtifactStore artifacts, ArtifactResponse response) {
    this.versions = versions;
    this.artifacts = artifacts;
    this.response = response;
  }

  void manifest(Context ctx) {
    Version v = servable(ctx);
    response.send(ctx, manifestFile(v));
  }

  void file(Context ctx) {
    Version v = servable(ctx);
    String path = ctx.pathParam("path");
    ShardFile shard =
        shards(versions.manifest(v))
            .filter(f -> f.path().equals(path))
            .findFirst()
            .orElseThrow(
                () ->
                    CatalogException.notFound(
                        "version " + v.number() + " has no file '" + path + "'"));
    response.send(ctx, shardFile(v, shard));
  }

  void download(Context ctx) {
    Version v = servable(ctx);
    Manifest manifest = versions.manifest(v);
    String name = ctx.pathParam("file");
    ShardFormat format =
        formats(manifest).stream()
            .filter(f -> OneFilePlan.fileName(v.dataset(), f).equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    CatalogException.notFound(
                        "version "
                            + v.number()
                            + " of '"
                            + v.dataset()
                            + "' has no download '"
                            + name
                            + "'; it has "
                            + formats(manifest).stream()
                                .map(f -> OneFilePlan.fileName(v.dataset(), f))
                                .collect(Collectors.joining(", "))));
    response.send(
        ctx,
        oneFile(v, manifest, format)
            .orElseThrow(
                () ->
                    CatalogException.notFound(
                        "version "
                            + v.number()
                            + " was built before "
                            + format.key()
                            + " files could be downloaded as one; build the dataset again for"
                            + " it, or download the shards under files/")));
  }

  /**
   * {@code <hex> <name>} for every file of the version under the name a user saves it as (what
   * {@code curl -O} or a browser takes from the URL or {@code Content-Disposition}), so that {@code
   * sha256sum -c SHA256SUMS} in the download folder checks them as they are.
   */
  void sha256sums(Context ctx) {
    Version v = servable(ctx);
    Manifest manifest = versions.manifest(v);
    StringBuilder sums = new StringBuilder();
    Representation m = manifestFile(v);
    line(sums, m.sha256(), m.fileName());
    for (ShardFormat format : formats(manifest)) {
      oneFile(v, manifest, format).ifPresent(one -> line(sums, one.sha256(), one.fileName()));
      for (ShardFile shard : manifest.formats().get(format.key()).files()) {
        line(sums, shard.sha256(), baseName(shard.path()));
      }
    }
    byte[] text = sums.toString().getBytes(StandardCharsets.UTF_8);
    response.send(
        ctx,
        new Representation(
            Body.of(text), ComputedDigests.sha256(text), "text/plain; charset=utf-8", SHA256SUMS));
  }

  private static void line(StringBuilder sums, String sha256, String name) {
    sums.append(sha256).append("  ").append(name).append('\n');
  }

  private Representation manifestFile(Version v) {
    Body body =
        artifacts
            .storedFile(v.dataset(), v.address(), DatasetLayout.MANIFEST)
            .orElseThrow(this::gone);
    String sha256 = digests.sha256(v.address() + "/" + DatasetLayout.MANIFEST, body);
    return new Representation(body, sha256, Json.CONTENT_TYPE, DatasetLayout.MANIFEST);
  }

  private Representation shardFile(Version v, ShardFile shard) {
    Body body =
        artifacts
            .assemble(v.dataset(), v.address(), List.of(new Piece(shard.path(), 0, shard.bytes())))
            .orElseThrow(this::gone);
    return new Representation(
        body, shard.sha256(), contentType(shard.path()), baseName(shard.path()));
  }

  /** A format's one-file download; empty when the manifest predates what assembling it needs. */
  private Optional<Representation> oneFile(Version v, Manifest manifest, ShardFormat format) {
    return OneFilePlan.of(manifest, format)
        .map(
            plan -> {
              Body body =
                  artifacts
                      .assemble(v.dataset(), v.address(), plan.pieces())
                      .orElseThrow(this::gone);
              FormatFiles files = manifest.formats().get(format.key());
              // Older manifests do not record the assembled file's digest: it is computed once.
              String sha256 =
                  files.download() != null && files.download().sha256() != null
                      ? files.download().sha256()
                      : digests.sha256(v.address() + "/" + plan.fileName(), body);
              return new Representation(
                  body, sha256, contentType(plan.fileName()), plan.fileName());
            });
  }

  private CatalogException gone() {
    return CatalogException.gone("the files of this version are no longer stored");
  }

  private static List<ShardFormat> formats(Manifest manifest) {
    return manifest.formats().keySet().stream().map(ShardFormat::fromKey).toList();
  }

  private static Stream<ShardFile> shards(Manifest manifest) {
    return manifest.formats().values().stream().flatMap(f -> f.files().stream());
  }

  private static String baseName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** A completed version; 410 for tombstones, 404 for versions that never had content. */
  private Version servable(Context ctx) {
    Version v = versions.get(VersionHandlers.key(ctx));
    if (v.status().isTombstone()) {
      throw CatalogException.gone(
          "version "
              + v.number()
              + " of '"
              + v.dataset()
              + "' is "
              + v.status()
              + "; its metadata stays at "
              + VersionResponse.path(v.dataset(), v.number()));
    }
    if (v.status() != VersionStatus.COMPLETED) {
      throw CatalogException.notFound(
          "version "
              + v.number()
              + " of '"
              + v.dataset()
              + "' is "
              + v.status()
              + " and has no files");
    }
    return v;
  }

  private static String contentType(String path) {
    if (path.endsWith(".parquet")) {
      return "application/vnd.apache.parquet";
    }
    if (path.endsWith(".gz")) {
      return "application/gzip";
    }
    return "application/octet-stream";
  }
}
