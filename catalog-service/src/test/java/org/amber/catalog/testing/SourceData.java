package org.amber.catalog.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.amber.testsupport.TestPostgres;

/** The source tables the build tests read, and ways to find what a build left behind. */
public final class SourceData {
  private SourceData() {}

  /**
   * {@code items}: 3,000 rows with a primary key. {@code slow(n)}: returns n after 50 ms, so a
   * query over many rows runs long enough to be cancelled or interrupted.
   */
  public static void load(String sourceUrl) throws Exception {
    TestPostgres.execute(
        sourceUrl,
        "CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2))",
        "INSERT INTO items SELECT g, 'item ' || g, g * 1.25 FROM generate_series(1, 3000) g",
        "CREATE TABLE extra (id integer PRIMARY KEY, label text)",
        "INSERT INTO extra SELECT g, 'label ' || g FROM generate_series(1, 500) g",
        "CREATE FUNCTION slow(n integer) RETURNS integer LANGUAGE plpgsql AS"
            + " $$ BEGIN PERFORM pg_sleep(0.05); RETURN n; END $$");
  }

  /** A query that takes minutes: for builds that must still be running when the test acts. */
  public static final String SLOW_QUERY = "SELECT slow(g) AS n FROM generate_series(1, 20000) g";

  /** The build process for a build id, if it is running. */
  public static Optional<ProcessHandle> buildProcess(String buildId) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("--build-id=" + buildId))
        .findFirst();
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
