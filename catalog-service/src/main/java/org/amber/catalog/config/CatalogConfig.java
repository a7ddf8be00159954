package org.amber.catalog.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything {@code amber serve} can be told, already checked.
 *
 * @param host the address to listen on
 * @param port 0 for any free port
 * @param dataDir where the embedded catalog lives ({@code <dataDir>/catalog})
 * @param outputRoot the artifact root URI builds write under ({@code file:///…})
 * @param catalogUrl an external PostgreSQL for the catalog, or null for the embedded one
 * @param catalogPassword the external catalog's password when not in its URL, or null
 * @param sources source name → JDBC URL
 * @param demoMode writes need no token
 * @param pipelinesJar the jar each build runs as a child JVM
 * @param buildHeap each build's {@code -Xmx}
 * @param sweepInterval how often TTLs and schedules are looked at
 * @param deletionGrace how long an expired or deleted version's files stay
 * @param adHocTtl TTL of an ad-hoc build that names none
 * @param maxWait the longest {@code ?wait=} or {@code Prefer: wait} honoured
 * @param maxRequestBytes the largest request body accepted
 */
public record CatalogConfig(
    String host,
    int port,
    Path dataDir,
    String outputRoot,
    String catalogUrl,
    String catalogPassword,
    Map<String, String> sources,
    int maxConcurrentBuilds,
    boolean publicRead,
    boolean demoMode,
    Path pipelinesJar,
    String buildHeap,
    Duration sweepInterval,
    Duration deletionGrace,
    String adHocTtl,
    Duration maxWait,
    long maxRequestBytes) {

  public CatalogConfig {
    sources = Map.copyOf(sources);
  }

  /** The catalog's own PostgreSQL data directory when embedded. */
  public Path embeddedCatalogDir() {
    return dataDir.resolve("catalog");
  }
}
