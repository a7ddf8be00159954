package org.amber.catalog.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.amber.artifacts.manifest.FormatFiles;
import org.amber.artifacts.manifest.Manifest;
import org.amber.artifacts.manifest.ManifestJson;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.catalog.domain.model.BuildRequest;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Version;

/** The JSON shapes of datasets and versions that the API answers with. */
final class Views {
  /** Parsed manifests by content digest: content never changes, so this never goes stale. */
  private final Cache<String, Manifest> manifests = Caffeine.newBuilder().maximumSize(1000).build();

  static String datasetPath(String name) {
    return "/v1/datasets/" + name;
  }

  static String versionPath(String dataset, int number) {
    return datasetPath(dataset) + "/versions/" + number;
  }

  ObjectNode dataset(DatasetDefinition d, Version latest) {
    ObjectNode node = Json.object();
    node.put("name", d.name());
    node.put("url", datasetPath(d.name()));
    BuildRequest b = d.build();
    node.put("source", b.source());
    if (b.query() != null) {
      node.put("query", b.query());
    } else {
      node.put("table", b.table());
    }
    ArrayNode formats = node.putArray("formats");
    b.formats().forEach(formats::add);
    node.put("partition_column", b.partitionColumn());
    if (b.partitions() == null) {
      node.putNull("partitions");
    } else {
      node.put("partitions", b.partitions());
    }
    node.put("default_ttl", d.defaultTtl() == null ? null : d.defaultTtl().toString());
    node.put("description", d.description());
    ArrayNode creators = node.putArray("creators");
    for (DatasetDefinition.Creator c : d.creators()) {
      ObjectNode creator = creators.addObject().put("name", c.name());
      if (c.affiliation() != null) {
        creator.put("affiliation", c.affiliation());
      }
      if (c.identifier() != null) {
        creator.put("identifier", c.identifier());
      }
    }
    node.put("license", d.license());
    if (d.schedule() == null) {
      node.putNull("schedule");
    } else {
      node.putObject("schedule")
          .put("cron", d.schedule().cron())
          .put("keep_last", d.schedule().keepLast());
    }
    node.put("ad_hoc", d.adHoc());
    Json.putTime(node, "created_at", d.createdAt());
    Json.putTime(node, "updated_at", d.updatedAt());
    if (latest == null) {
      node.putNull("latest");
    } else {
      node.set("latest", version(latest, d));
    }
    return node;
  }

  /**
   * @param definition for the citation; null when the dataset is gone
   */
  ObjectNode version(Version v, DatasetDefinition definition) {
    String path = versionPath(v.dataset(), v.number());
    ObjectNode node = Json.object();
    node.put("dataset", v.dataset());
    node.put("version", v.number());
    node.put("url", path);
    node.put("status", v.status().name());
    node.put("build_id", v.buildId());
    node.putObject("progress")
        .put("partitions_done", v.progress().partitionsDone())
        .put("partitions_total", v.progress().partitionsTotal())
        .put("rows", v.progress().rows())
        .put("bytes", v.progress().bytes());
    Json.putTime(node, "created_at", v.createdAt());
    Json.putTime(node, "started_at", v.startedAt());
    Json.putTime(node, "finished_at", v.finishedAt());
    Json.putTime(node, "expires_at", v.expiresAt());
    node.put("ttl", v.ttl() == null ? null : v.ttl().toString());
    node.put("pinned", v.pinned());
    node.put("content_digest", v.contentDigest());
    node.put("address", v.address());
    Manifest manifest = manifest(v);
    if (manifest == null) {
      node.putNull("manifest_url");
      node.putArray("files");
    } else {
      node.put("manifest_url", path + "/manifest.json");
      node.put("rows", manifest.rowCount());
      ArrayNode files = node.putArray("files");
      for (Map.Entry<String, FormatFiles> format : manifest.formats().entrySet()) {
        for (ShardFile f : format.getValue().files()) {
          files
              .addObject()
              .put("format", format.getKey())
              .put("path", f.path())
              .put("rows", f.rows())
              .put("bytes", f.bytes())
              .put("sha256", f.sha256())
              .put("url", path + "/files/" + f.path());
        }
      }
    }
    Json.putTime(node, "files_deleted_at", v.filesDeletedAt());
    if (v.error() == null) {
      node.putNull("error");
    } else {
      node.putObject("error").put("type", v.error().type()).put("message", v.error().message());
    }
    node.put("citation", citation(v, definition));
    return node;
  }

  /** The manifest a version points at, or null before it completed. */
  Manifest manifest(Version v) {
    if (v.manifestJson() == null || v.contentDigest() == null) {
      return null;
    }
    return manifests.get(v.contentDigest(), digest -> parse(v));
  }

  private static Manifest parse(Version v) {
    try {
      return ManifestJson.readManifest(v.manifestJson().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("the catalog holds an unreadable manifest for " + v.key(), e);
    }
  }

  /** A plain-text citation in the DataCite recommended form; null until there is content. */
  private static String citation(Version v, DatasetDefinition d) {
    if (v.contentDigest() == null || v.finishedAt() == null) {
      return null;
    }
    List<DatasetDefinition.Creator> creators = d == null ? List.of() : d.creators();
    String who =
        creators.isEmpty()
            ? ""
            : creators.stream()
                    .map(DatasetDefinition.Creator::name)
                    .collect(Collectors.joining("; "))
                + " ";
    int year = v.finishedAt().atZone(ZoneOffset.UTC).getYear();
    return who
        + "("
        + year
        + "). "
        + v.dataset()
        + " (Version "
        + v.number()
        + ") [Data set]. Amber. "
        + v.contentDigest();
  }
}
