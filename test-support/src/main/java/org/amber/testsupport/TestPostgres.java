package org.amber.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real PostgreSQL the tests use: the server named by {@code AMBER_TEST_PG_URL} (a superuser URL
 * such as {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}), else one embedded
 * server started once per test JVM. Every caller gets a database of its own.
 */
public final class TestPostgres {
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static String serverUrl;

  private TestPostgres() {}

  private static synchronized String serverUrl() throws Exception {
    if (serverUrl == null) {
      String external = System.getenv("AMBER_TEST_PG_URL");
      if (external != null && !external.isBlank()) {
        serverUrl = external;
      } else {
        // A throwaway cluster: durability only costs the tests time.
        EmbeddedPostgres embedded =
            EmbeddedPostgres.builder()
                .setServerConfig("fsync", "off")
                .setServerConfig("full_page_writes", "off")
                .start();
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        embedded.close();
                      } catch (Exception ignored) {
                        // the JVM is ending anyway
                      }
                    }));
        serverUrl = embedded.getJdbcUrl("postgres", "postgres");
      }
    }
    return serverUrl;
  }

  /**
   * A new empty database; returns its JDBC URL. The name is {@code prefix} made unique to this JVM
   * and call, so test JVMs sharing one server (AMBER_TEST_PG_URL) never meet.
   */
  public static String freshDatabase(String prefix) throws Exception {
    String name = prefix + "_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
    String server = serverUrl();
    execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "CREATE DATABASE " + name);
    return withDatabase(server, name);
  }

  /** The same server URL pointing at another database. */
  public static String withDatabase(String url, String database) {
    int slash = url.indexOf('/', "jdbc:postgresql://".length());
    int query = url.indexOf('?', slash);
    return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
  }

  /** Runs statements on a database, in order, each committed on its own. */
  public static void execute(String url, String... sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      for (String s : sql) {
        statement.execute(s);
      }
    }
  }

  /**
   * A least-privilege role for a test database ({@code <db>_reader}, {@code pg_read_all_data}):
   * what {@code serve} accepts as a source. Returns the database's URL as that role.
   */
  public static String readerUrl(String sourceUrl) throws Exception {
    String database = sourceUrl.substring(sourceUrl.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
    String role = database + "_reader";
    execute(
        sourceUrl,
        "DROP ROLE IF EXISTS " + role,
        "CREATE ROLE " + role + " LOGIN",
        "GRANT pg_read_all_data TO " + role);
    return sourceUrl.replaceFirst("([?&])user=[^&]*", "$1user=" + role);
  }
}
