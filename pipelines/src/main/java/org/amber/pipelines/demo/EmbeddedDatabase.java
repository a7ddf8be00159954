package org.amber.pipelines.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A PostgreSQL server run from the binaries on the classpath: what {@code amber demo-db} and the
 * quickstart use on a machine with no database of its own.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * @param port 0 for any free port
   * @param dataDirectory where the cluster lives and is kept; null for a throwaway one
   */
  public static EmbeddedDatabase start(int port, Path dataDirectory) throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setServerConfig("max_connections", "100")
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off");
    if (port > 0) {
      builder.setPort(port);
    }
    if (dataDirectory != null) {
      builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
    }
    return new EmbeddedDatabase(builder.start());
  }

  /** {@code jdbc:postgresql://localhost:<port>/postgres?user=postgres}. */
  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  /** The same database as another role. */
  public String jdbcUrl(String user) {
    return postgres.getJdbcUrl(user, "postgres");
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
