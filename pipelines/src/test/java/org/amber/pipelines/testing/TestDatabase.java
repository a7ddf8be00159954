package org.amber.pipelines.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.amber.pipelines.demo.EmbeddedDatabase;

/**
 * The real PostgreSQL the tests run against: the server named by {@code AMBER_TEST_PG_URL} (a
 * superuser URL such as {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}), else one
 * embedded server started once for the whole test run. Each test class gets a database of its own.
 */
public final class TestDatabase {
  private static String serverUrl;

  private TestDatabase() {}

  private static synchronized String serverUrl() throws Exception {
    if (serverUrl == null) {
      String external = System.getenv("AMBER_TEST_PG_URL");
      if (external != null && !external.isBlank()) {
        serverUrl = external;
      } else {
        EmbeddedDatabase embedded = EmbeddedDatabase.start(0, null);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        embedded.close();
                      } catch (Exception ignored) {
                        // the JVM is ending
                      }
                    }));
        serverUrl = embedded.jdbcUrl();
      }
    }
    return serverUrl;
  }

  /** A new empty database on the test server; returns its JDBC URL. */
  public static String fresh(String name) throws Exception {
    String server = serverUrl();
    try (Connection connection = DriverManager.getConnection(server);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      statement.execute("CREATE DATABASE " + name);
    }
    return withDatabase(server, name);
  }

  /** The same server URL pointing at another database. */
  public static String withDatabase(String url, String database) {
    int slash = url.indexOf('/', "jdbc:postgresql://".length());
    int query = url.indexOf('?', slash);
    return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
  }

  /** Runs statements on a database. */
  public static void execute(String url, String... sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      for (String s : sql) {
        statement.execute(s);
      }
    }
  }
}
