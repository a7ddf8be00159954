package org.amber.catalog.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.amber.artifacts.layout.DatasetLayout;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.catalog.artifact.ArtifactStore;
import org.amber.catalog.domain.VersionService;
import org.amber.catalog.domain.model.CatalogException;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.domain.model.VersionStatus;

/**
 * A completed version's {@code manifest.json} and shard files, served plainly from the local output
 * root. Tombstones answer 410; only files the manifest lists are served.
 */
final class ArtifactHandlers {
  /** Versioned URLs name content that never changes. */
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final VersionService versions;
  private final ArtifactStore artifacts;

  ArtifactHandlers(VersionService versions, ArtifactStore artifacts) {
    this.versions = versions;
    this.artifacts = artifacts;
  }

  void manifest(Context ctx) {
    Version v = servable(ctx);
    Path file =
        artifacts
            .file(v.dataset(), v.address(), DatasetLayout.MANIFEST)
            .orElseThrow(
                () -> CatalogException.gone("the files of this version are no longer stored"));
    send(ctx, file, Json.CONTENT_TYPE, "\"" + v.contentDigest() + "\"");
  }

  void file(Context ctx) {
    Version v = servable(ctx);
    String path = ctx.pathParam("path");
    Manifest manifest = versions.manifest(v);
    Optional<ShardFile> listed = Optional.empty();
    for (Map.Entry<String, FormatFiles> format : manifest.formats().entrySet()) {
      listed =
          listed.or(
              () ->
                  format.getValue().files().stream()
                      .filter(f -> f.path().equals(path))
                      .findFirst());
    }
    ShardFile shard =
        listed.orElseThrow(
            () ->
                CatalogException.notFound("version " + v.number() + " has no file '" + path + "'"));
    Path file =
        artifacts
            .file(v.dataset(), v.address(), shard.path())
            .orElseThrow(
                () -> CatalogException.gone("the files of this version are no longer stored"));
    send(ctx, file, contentType(path), "\"sha256:" + shard.sha256() + "\"");
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

  private static void send(Context ctx, Path file, String contentType, String etag) {
    try {
      ctx.header("ETag", etag);
      ctx.header("Cache-Control", IMMUTABLE);
      if (etag.equals(ctx.header("If-None-Match"))) {
        ctx.status(304);
        return;
      }
      ctx.header("Content-Length", Long.toString(Files.size(file)));
      ctx.contentType(contentType);
      if (ctx.method() != HandlerType.HEAD) {
        // HEAD answers with the same headers; the file is not opened for a body no one reads.
        ctx.result(Files.newInputStream(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
