package org.amber.catalog.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL the catalog lives in: an embedded server whose data directory survives
 * restarts, or an external one named by a JDBC URL. Either way the schema is migrated on open.
 */
public final class CatalogDatabase implements AutoCloseable {
  private final EmbeddedPostgres embedded;
  private final HikariDataSource pool;

  private CatalogDatabase(EmbeddedPostgres embedded, HikariDataSource pool) {
    this.embedded = embedded;
    this.pool = pool;
  }

  /** Starts (or restarts) an embedded PostgreSQL keeping its files in {@code dataDirectory}. */
  public static CatalogDatabase embedded(Path dataDirectory, int poolSize) {
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
      try {
        return open(postgres, postgres.getJdbcUrl("postgres", "postgres"), null, poolSize);
      } catch (RuntimeException e) {
        postgres.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the embedded catalog database in " + dataDirectory + ": " + e.getMessage(),
          e);
    }
  }

  /** Connects to an external PostgreSQL; a password may come separately from the URL. */
  public static CatalogDatabase external(String jdbcUrl, String password, int poolSize) {
    return open(null, jdbcUrl, password, poolSize);
  }

  private static CatalogDatabase open(
      EmbeddedPostgres embedded, String jdbcUrl, String password, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (password != null) {
      config.setPassword(password);
    }
    config.setPoolName("catalog");
    config.setMaximumPoolSize(poolSize);
    config.setConnectionTimeout(10_000);
    HikariDataSource pool = new HikariDataSource(config);
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new CatalogDatabase(embedded, pool);
  }

  public DataSource dataSource() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot stop the embedded catalog database", e);
      }
    }
  }
}
