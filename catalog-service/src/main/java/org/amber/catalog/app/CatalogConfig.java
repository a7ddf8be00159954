package org.amber.catalog.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.amber.catalog.build.dataflow.DataflowConfig;

/**
 * Everything {@code amber serve} can be told, already checked. Built with {@link #builder()}; a
 * test changes one setting with {@code config.toBuilder().demoMode(false).build()}.
 *
 * @param host the address to listen on
 * @param port 0 for any free port
 * @param publicUrl the URL the service is reached at from outside, checked and without a trailing
 *     slash; null for the listener's own ({@link PublicUrl#ofListener})
 * @param dataDir where the embedded catalog lives ({@code <dataDir>/.catalog})
 * @param outputRoot the artifact root URI builds write under ({@code file:///…} or {@code gs://…})
 * @param catalogUrl an external PostgreSQL for the catalog, or null for the embedded one
 * @param catalogPassword the external catalog's password when not in its URL, or null
 * @param sources source name → JDBC URL
 * @param demoMode writes need no token
 * @param pipelinesJar the jar each build runs as a child JVM
 * @param buildHeap each build's {@code -Xmx}
 * @param sweepInterval how often TTLs and file deletions are looked at (timetables keep their own
 *     time)
 * @param deletionGrace how long an expired or deleted version's files stay
 * @param signedUrlLife how long a signed download URL of a {@code gs://} output root works
 * @param adHocTtl TTL of an ad-hoc build that names none
 * @param maxWait the longest {@code ?wait=} or {@code Prefer: wait} honoured
 * @param maxRequestBytes the largest request body accepted
 * @param statementTimeout every source statement's longest run, unless its source sets one
 * @param sourceStatementTimeouts source name → its own statement timeout
 * @param allowWritableSources sources whose role may write, accepted by the operator
 * @param dataflow where builds run on Dataflow; null to run them as local child processes
 */
public record CatalogConfig(
    String host,
    int port,
    String publicUrl,
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
    Duration signedUrlLife,
    String adHocTtl,
    Duration maxWait,
    long maxRequestBytes,
    Duration statementTimeout,
    Map<String, Duration> sourceStatementTimeouts,
    Set<String> allowWritableSources,
    DataflowConfig dataflow) {

  public CatalogConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(outputRoot, "outputRoot");
    publicUrl = publicUrl == null ? null : PublicUrl.check(publicUrl);
    sources = Map.copyOf(sources);
    sourceStatementTimeouts = Map.copyOf(sourceStatementTimeouts);
    allowWritableSources = Set.copyOf(allowWritableSources);
  }

  /**
   * The embedded catalog's own directory. Its name starts with a dot, which no dataset name can, so
   * artifacts written under the same {@code dataDir} can never reach the catalog's files.
   */
  public Path embeddedCatalogDir() {
    return dataDir.resolve(".catalog");
  }

  /** Where the embedded catalog lived before it moved to {@link #embeddedCatalogDir()}. */
  public Path formerEmbeddedCatalogDir() {
    return dataDir.resolve("catalog");
  }

  /** The defaults of {@code amber serve}; {@code dataDir} and {@code outputRoot} must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to change some settings of it. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.publicUrl = publicUrl;
    b.dataDir = dataDir;
    b.outputRoot = outputRoot;
    b.catalogUrl = catalogUrl;
    b.catalogPassword = catalogPassword;
    b.sources = sources;
    b.maxConcurrentBuilds = maxConcurrentBuilds;
    b.publicRead = publicRead;
    b.demoMode = demoMode;
    b.pipelinesJar = pipelinesJar;
    b.buildHeap = buildHeap;
    b.sweepInterval = sweepInterval;
    b.deletionGrace = deletionGrace;
    b.signedUrlLife = signedUrlLife;
    b.adHocTtl = adHocTtl;
    b.maxWait = maxWait;
    b.maxRequestBytes = maxRequestBytes;
    b.statementTimeout = statementTimeout;
    b.sourceStatementTimeouts = sourceStatementTimeouts;
    b.allowWritableSources = allowWritableSources;
    b.dataflow = dataflow;
    return b;
  }

  /** Builds a {@link CatalogConfig}; every setting starts at {@code amber serve}'s default. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private String publicUrl;
    private Path dataDir;
    private String outputRoot;
    private String catalogUrl;
    private String catalogPassword;
    private Map<String, String> sources = Map.of();
    private int maxConcurrentBuilds = 2;
    private boolean publicRead = true;
    private boolean demoMode;
    private Path pipelinesJar = Path.of("pipelines/target/amber-pipelines.jar");
    private String buildHeap = "1g";
    private Duration sweepInterval = Duration.ofMinutes(1);
    private Duration deletionGrace = Duration.ofHours(1);
    private Duration signedUrlLife = Duration.ofMinutes(15);
    private String adHocTtl = "P7D";
    private Duration maxWait = Duration.ofMinutes(2);
    private long maxRequestBytes = 1024 * 1024;
    private Duration statementTimeout = Duration.ofHours(2);
    private Map<String, Duration> sourceStatementTimeouts = Map.of();
    private Set<String> allowWritableSources = Set.of();
    private DataflowConfig dataflow;

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The URL the service is reached at from outside; null (the default) for the listener's. */
    public Builder publicUrl(String publicUrl) {
      this.publicUrl = publicUrl;
      return this;
    }

    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    public Builder outputRoot(String outputRoot) {
      this.outputRoot = outputRoot;
      return this;
    }

    public Builder catalogUrl(String catalogUrl) {
      this.catalogUrl = catalogUrl;
      return this;
    }

    public Builder catalogPassword(String catalogPassword) {
      this.catalogPassword = catalogPassword;
      return this;
    }

    public Builder sources(Map<String, String> sources) {
      this.sources = sources;
      return this;
    }

    public Builder maxConcurrentBuilds(int maxConcurrentBuilds) {
      this.maxConcurrentBuilds = maxConcurrentBuilds;
      return this;
    }

    public Builder publicRead(boolean publicRead) {
      this.publicRead = publicRead;
      return this;
    }

    public Builder demoMode(boolean demoMode) {
      this.demoMode = demoMode;
      return this;
    }

    public Builder pipelinesJar(Path pipelinesJar) {
      this.pipelinesJar = pipelinesJar;
      return this;
    }

    public Builder buildHeap(String buildHeap) {
      this.buildHeap = buildHeap;
      return this;
    }

    public Builder sweepInterval(Duration sweepInterval) {
      this.sweepInterval = sweepInterval;
      return this;
    }

    public Builder deletionGrace(Duration deletionGrace) {
      this.deletionGrace = deletionGrace;
      return this;
    }

    public Builder signedUrlLife(Duration signedUrlLife) {
      this.signedUrlLife = signedUrlLife;
      return this;
    }

    public Builder adHocTtl(String adHocTtl) {
      this.adHocTtl = adHocTtl;
      return this;
    }

    public Builder maxWait(Duration maxWait) {
      this.maxWait = maxWait;
      return this;
    }

    public Builder maxRequestBytes(long maxRequestBytes) {
      this.maxRequestBytes = maxRequestBytes;
      return this;
    }

    public Builder statementTimeout(Duration statementTimeout) {
      this.statementTimeout = statementTimeout;
      return this;
    }

    public Builder sourceStatementTimeouts(Map<String, Duration> sourceStatementTimeouts) {
      this.sourceStatementTimeouts = sourceStatementTimeouts;
      return this;
    }

    public Builder allowWritableSources(Set<String> allowWritableSources) {
      this.allowWritableSources = allowWritableSources;
      return this;
    }

    /** Builds on Dataflow; null (the default) runs them as local child processes. */
    public Builder dataflow(DataflowConfig dataflow) {
      this.dataflow = dataflow;
      return this;
    }

    public CatalogConfig build() {
      return new CatalogConfig(
          host,
          port,
          publicUrl,
          dataDir,
          outputRoot,
          catalogUrl,
          catalogPassword,
          sources,
          maxConcurrentBuilds,
          publicRead,
          demoMode,
          pipelinesJar,
          buildHeap,
          sweepInterval,
          deletionGrace,
          signedUrlLife,
          adHocTtl,
          maxWait,
          maxRequestBytes,
          statementTimeout,
          sourceStatementTimeouts,
          allowWritableSources,
          dataflow);
    }
  }
}
