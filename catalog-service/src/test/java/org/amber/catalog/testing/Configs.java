package org.amber.catalog.testing;

import java.time.Duration;
import org.amber.catalog.config.CatalogConfig;

/** Changes one setting of a test's {@link CatalogConfig}. */
public final class Configs {
  private Configs() {}

  public static CatalogConfig auth(CatalogConfig c, boolean publicRead, boolean demoMode) {
    return new CatalogConfig(c.host(), c.port(), c.dataDir(), c.outputRoot(), c.catalogUrl(),
        c.catalogPassword(), c.sources(), c.maxConcurrentBuilds(), publicRead, demoMode,
        c.pipelinesJar(), c.buildHeap(), c.sweepInterval(), c.deletionGrace(), c.adHocTtl(),
        c.maxWait(), c.maxRequestBytes());
  }

  public static CatalogConfig maxConcurrentBuilds(CatalogConfig c, int n) {
    return new CatalogConfig(c.host(), c.port(), c.dataDir(), c.outputRoot(), c.catalogUrl(),
        c.catalogPassword(), c.sources(), n, c.publicRead(), c.demoMode(),
        c.pipelinesJar(), c.buildHeap(), c.sweepInterval(), c.deletionGrace(), c.adHocTtl(),
        c.maxWait(), c.maxRequestBytes());
  }

  public static CatalogConfig deletionGrace(CatalogConfig c, Duration grace) {
    return new CatalogConfig(c.host(), c.port(), c.dataDir(), c.outputRoot(), c.catalogUrl(),
        c.catalogPassword(), c.sources(), c.maxConcurrentBuilds(), c.publicRead(), c.demoMode(),
        c.pipelinesJar(), c.buildHeap(), c.sweepInterval(), grace, c.adHocTtl(),
        c.maxWait(), c.maxRequestBytes());
  }

  public static CatalogConfig buildHeap(CatalogConfig c, String heap) {
    return new CatalogConfig(c.host(), c.port(), c.dataDir(), c.outputRoot(), c.catalogUrl(),
        c.catalogPassword(), c.sources(), c.maxConcurrentBuilds(), c.publicRead(), c.demoMode(),
        c.pipelinesJar(), heap, c.sweepInterval(), c.deletionGrace(), c.adHocTtl(),
        c.maxWait(), c.maxRequestBytes());
  }

  /** The embedded catalog under the data dir instead of a database on the test server. */
  public static CatalogConfig embeddedCatalog(CatalogConfig c) {
    return new CatalogConfig(c.host(), c.port(), c.dataDir(), c.outputRoot(), null,
        c.catalogPassword(), c.sources(), c.maxConcurrentBuilds(), c.publicRead(), c.demoMode(),
        c.pipelinesJar(), c.buildHeap(), c.sweepInterval(), c.deletionGrace(), c.adHocTtl(),
        c.maxWait(), c.maxRequestBytes());
  }
}
