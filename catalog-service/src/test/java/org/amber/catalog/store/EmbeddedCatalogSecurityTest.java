package org.amber.catalog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.amber.catalog.testing.ListeningSockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded catalog database lets in the service's own user only: logins need the password in a
 * file only that user can read, the server listens on loopback TCP only and has no Unix socket, and
 * it writes commits durably.
 */
class EmbeddedCatalogSecurityTest {
  @TempDir Path dataDir;

  @Test
  void onlyTheServiceUserGetsIn() throws Exception {
    Path home = dataDir.resolve(".catalog");
    try (CatalogDatabase database = CatalogDatabase.embedded(home, dataDir.resolve("catalog"), 2)) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
      Path passwordFile = home.resolve("password");
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
      String password = Files.readString(passwordFile).trim();
      assertTrue(password.length() >= 32, "a generated password");
      int port = port(home);

      SQLException noPassword = assertThrows(SQLException.class, () -> connect(port, null).close());
      assertTrue(noPassword.getMessage().contains("password"), noPassword.getMessage());
      assertThrows(SQLException.class, () -> connect(port, "postgres").close());
      try (Connection c = connect(port, password)) {
        assertEquals("on", show(c, "fsync"));
        assertEquals("on", show(c, "synchronous_commit"));
        assertEquals("", show(c, "unix_socket_directories"));
      }
      assertFalse(Files.exists(Path.of("/tmp/.s.PGSQL." + port)), "no socket in the shared /tmp");
      List<InetAddress> listening = ListeningSockets.on(port);
      assertFalse(listening.isEmpty());
      listening.forEach(a -> assertTrue(a.isLoopbackAddress(), "listens on " + a));
      for (String line : Files.readAllLines(home.resolve("pgdata/pg_hba.conf"))) {
        assertFalse(!line.startsWith("#") && line.contains("trust"), "pg_hba.conf: " + line);
      }
      assertOtherUserLockedOut(home, passwordFile);
    }
  }

  @Test
  void theSamePasswordServesTheNextStart() throws Exception {
    Path home = dataDir.resolve(".catalog");
    String first;
    try (CatalogDatabase database = CatalogDatabase.embedded(home, null, 2)) {
      first = Files.readString(home.resolve("password"));
      execute(database, "CREATE TABLE kept (n int)");
    }
    try (CatalogDatabase database = CatalogDatabase.embedded(home, null, 2)) {
      assertEquals(first, Files.readString(home.resolve("password")));
      execute(database, "INSERT INTO kept VALUES (1)");
    }
  }

  @Test
  void aFormerTrustingCatalogIsMovedInAndLockedDown() throws Exception {
    Path former = dataDir.resolve("catalog");
    // What earlier versions made: <data-dir>/catalog, any local user let in as superuser.
    try (EmbeddedPostgres old =
        EmbeddedPostgres.builder().setDataDirectory(former).setCleanDataDirectory(false).start()) {
      try (Connection c = DriverManager.getConnection(old.getJdbcUrl("postgres", "postgres"));
          Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA earlier");
        s.execute("CREATE TABLE earlier.kept (n int)");
        s.execute("INSERT INTO earlier.kept VALUES (42)");
      }
    }
    Path home = dataDir.resolve(".catalog");
    try (CatalogDatabase database = CatalogDatabase.embedded(home, former, 2)) {
      assertFalse(Files.exists(former), "moved away from where datasets live");
      try (Connection c = database.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT n FROM earlier.kept")) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1));
      }
      int port = port(home);
      assertThrows(SQLException.class, () -> connect(port, null).close());
    }
  }

  /**
   * Run as root (as in CI), another account must not read the password nor list the catalog's
   * directory; a non-root run is itself that other account for files root would own.
   */
  private static void assertOtherUserLockedOut(Path home, Path passwordFile) throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    Path runuser = Path.of("/usr/sbin/runuser");
    if (!root || !Files.isExecutable(runuser)) {
      return;
    }
    assertNotEquals(0, runAs(runuser, "cat", passwordFile.toString()), "nobody read the password");
    assertNotEquals(
        0, runAs(runuser, "ls", home.toString()), "nobody listed the catalog directory");
  }

  private static int runAs(Path runuser, String... command) throws Exception {
    List<String> argv =
        new java.util.ArrayList<>(List.of(runuser.toString(), "-u", "nobody", "--"));
    argv.addAll(List.of(command));
    Process p =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return p.exitValue();
  }

  private static int port(Path home) throws Exception {
    return Integer.parseInt(
        Files.readAllLines(home.resolve("pgdata/postmaster.pid")).get(3).trim());
  }

  private static Connection connect(int port, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    if (password != null) {
      props.setProperty("password", password);
    }
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props);
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void execute(CatalogDatabase database, String sql) throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
