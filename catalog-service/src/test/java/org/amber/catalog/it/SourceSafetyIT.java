package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.Poll;
import org.amber.catalog.testing.SourceData;
import org.amber.catalog.testing.Versions;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} refuses a source whose role could write or reach the server's files, unless the
 * operator accepts it for that source (then it says so at start-up and on {@code /readyz}); and
 * cancelling a build stops its query on the source.
 */
class SourceSafetyIT {
  private static final Duration BUILD = Duration.ofMinutes(3);

  @Test
  void aSuperuserSourceIsRefusedAtStartUpWithWhatToUseInstead() throws Exception {
    String catalogUrl = TestPostgres.freshDatabase("catalog");
    String superuserUrl = TestPostgres.freshDatabase("source");
    Path root = Files.createTempDirectory("amber-refused");
    Process serve =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                System.getProperty("amber.catalog.jar", "target/amber-catalog.jar"),
                "serve",
                "--host=127.0.0.1",
                "--port=0",
                "--data-dir=" + root,
                "--catalog-url=" + catalogUrl,
                "--source",
                "src=" + superuserUrl)
            .redirectOutput(root.resolve("out.log").toFile())
            .redirectError(root.resolve("err.log").toFile())
            .start();
    try {
      assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve refuses to start");
      assertEquals(1, serve.exitValue());
      List<String> errors =
          Files.readString(root.resolve("err.log"))
              .lines()
              .filter(l -> l.startsWith("amber: "))
              .toList();
      assertEquals(1, errors.size(), Files.readString(root.resolve("err.log")));
      String message = errors.get(0);
      String role = superuserUrl.replaceFirst(".*[?&]user=([^&]*).*", "$1");
      assertTrue(message.contains("source 'src' connects as role '" + role + "'"), message);
      assertTrue(message.contains("is a superuser"), message);
      assertTrue(message.contains("GRANT pg_read_all_data TO amber_reader"), message);
      assertTrue(message.contains("--allow-writable-source src"), message);
      assertFalse(Files.readString(root.resolve("err.log")).contains("\tat "), "no stack trace");
    } finally {
      serve.destroyForcibly();
    }
  }

  @Test
  void aRoleThatCanWriteATableIsRefusedUnlessAllowedAndThenReadyzSaysSo() throws Exception {
    String superuserUrl = TestPostgres.freshDatabase("writable");
    String writer = database(superuserUrl) + "_writer";
    TestPostgres.execute(
        superuserUrl,
        "DROP ROLE IF EXISTS " + writer,
        "CREATE ROLE " + writer + " LOGIN",
        "CREATE TABLE notes (id int PRIMARY KEY)",
        "GRANT SELECT, INSERT ON notes TO " + writer);
    String writerUrl = superuserUrl.replaceFirst("([?&])user=[^&]*", "$1user=" + writer);

    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () ->
                CatalogFixture.start(c -> c.toBuilder().sources(Map.of("src", writerUrl)).build())
                    .close());
    assertTrue(refused.getMessage().contains("role '" + writer + "'"), refused.getMessage());
    assertTrue(
        refused
            .getMessage()
            .contains("may INSERT, UPDATE, DELETE or TRUNCATE 1 table(s) (public.notes)"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("GRANT pg_read_all_data"), refused.getMessage());

    try (CatalogFixture allowed =
        CatalogFixture.start(
            c ->
                c.toBuilder()
                    .sources(Map.of("src", writerUrl))
                    .allowWritableSources(Set.of("src"))
                    .build())) {
      Reply ready = allowed.api().get("/readyz");
      assertEquals(200, ready.status());
      JsonNode warnings = ready.json().get("warnings");
      assertEquals(1, warnings.size(), ready.toString());
      assertTrue(
          warnings.get(0).asText().contains("source 'src' connects as role '" + writer + "'"),
          ready.toString());
    }
  }

  @Test
  void aReadOnlyRoleStartsWithoutWarningsAndCancellingABuildStopsItsQuery() throws Exception {
    // The fixture's source role is a pg_read_all_data member that owns nothing.
    try (CatalogFixture catalog = CatalogFixture.start(c -> c)) {
      Api api = catalog.api();
      Reply ready = api.get("/readyz");
      assertEquals(200, ready.status());
      assertTrue(ready.json().path("warnings").isMissingNode(), ready.toString());

      SourceData.load(catalog.sourceUrl());
      String query = "SELECT id, length(pg_sleep(0.05)::text) AS pause FROM items";
      assertEquals(
          201,
          api.put("/v1/datasets/sleepy", "{\"source\":\"src\",\"query\":\"" + query + "\"}")
              .status());
      String version =
          api.post("/v1/datasets/sleepy/versions", null).header("Location").orElseThrow();
      String buildId =
          Versions.awaitStatus(api, version, BUILD, "EXECUTING").get("build_id").asText();
      String superuserUrl = catalog.sourceUrl();
      Poll.until(
          "the build's query to run on the source",
          Duration.ofSeconds(90),
          () -> activeCopies(superuserUrl, buildId),
          n -> n > 0);

      Reply cancelled = api.post(version + ":cancel", null);
      assertEquals(200, cancelled.status(), cancelled.toString());
      Poll.until(
          "the build's query to be gone from the source",
          Duration.ofSeconds(10),
          () -> activeCopies(superuserUrl, buildId),
          n -> n == 0);
    }
  }

  private static String database(String url) {
    return url.substring(url.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
  }

  private static int activeCopies(String url, String buildId) {
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE application_name = ? AND state = 'active' AND query LIKE 'COPY%'")) {
      statement.setString(1, "amber build " + buildId);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
