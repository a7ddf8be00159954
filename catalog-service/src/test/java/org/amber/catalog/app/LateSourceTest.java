package org.amber.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.util.Map;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * A source that is down when the catalog starts does not stop the catalog (it still serves what was
 * built before), and nothing is read from it until its role has been checked.
 */
class LateSourceTest {
  private static final String DEFINITION = "{\"source\":\"late\",\"query\":\"SELECT 1 AS a\"}";

  @Test
  void aSourceDownAtStartUpIsCheckedBeforeItsFirstUse() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    String lateUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=late_reader";
    try (CatalogFixture catalog =
        CatalogFixture.start(
            c ->
                c.toBuilder()
                    .sources(
                        Map.of(
                            CatalogFixture.SOURCE,
                            c.sources().get(CatalogFixture.SOURCE),
                            "late",
                            lateUrl))
                    .build())) {
      Api api = catalog.api();
      Api.Reply ready = api.get("/readyz");
      assertEquals(200, ready.status(), ready.body());
      assertTrue(ready.body().contains("source 'late' could not be reached"), ready.body());

      Api.Reply whileDown = api.put("/v1/datasets/early", DEFINITION);
      assertEquals(422, whileDown.status(), whileDown.body());
      assertTrue(
          whileDown.body().contains("could not be reached to check its role"), whileDown.body());

      try (EmbeddedPostgres late = EmbeddedPostgres.builder().setPort(port).start()) {
        String superuser = late.getJdbcUrl("postgres", "postgres");
        TestPostgres.execute(
            superuser,
            "CREATE ROLE late_reader LOGIN",
            "CREATE TABLE victim (a int)",
            "GRANT INSERT ON victim TO late_reader");
        Api.Reply writable = api.put("/v1/datasets/early", DEFINITION);
        assertEquals(422, writable.status(), writable.body());
        assertTrue(writable.body().contains("'late_reader'"), writable.body());
        assertTrue(writable.body().contains("pg_read_all_data"), writable.body());

        TestPostgres.execute(
            superuser,
            "REVOKE INSERT ON victim FROM late_reader",
            "GRANT pg_read_all_data TO late_reader");
        Api.Reply readOnly = api.put("/v1/datasets/early", DEFINITION);
        assertEquals(201, readOnly.status(), readOnly.body());
      }
    }
  }
}
