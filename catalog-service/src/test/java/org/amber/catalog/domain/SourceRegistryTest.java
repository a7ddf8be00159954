package org.amber.catalog.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each source's statement timeout: its own where set, else the server's. */
class SourceRegistryTest {
  private static final Map<String, String> URLS =
      Map.of("shop", "jdbc:postgresql://db/shop", "lab", "jdbc:postgresql://db/lab");

  @Test
  void aSourceHasItsOwnStatementTimeoutOrTheServers() {
    SourceRegistry sources =
        new SourceRegistry(
            URLS, Map.of("shop", Duration.ofMinutes(30)), Duration.ofMinutes(10), name -> null);
    assertEquals(Duration.ofMinutes(30), sources.find("shop").orElseThrow().statementTimeout());
    assertEquals(Duration.ofMinutes(10), sources.find("lab").orElseThrow().statementTimeout());
    assertEquals(
        30 * 60_000L, sources.find("shop").orElseThrow().jdbcSource().statementTimeoutMillis());
  }

  @Test
  void aTimeoutForAnUnknownSourceIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new SourceRegistry(
                    URLS,
                    Map.of("shpo", Duration.ofMinutes(1)),
                    Duration.ofHours(2),
                    name -> null));
    assertTrue(e.getMessage().contains("'shpo'"), e.getMessage());
  }
}
