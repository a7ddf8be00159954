package org.amber.transforms.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.amber.transforms.jdbc.GenericJdbcDialect;
import org.amber.transforms.postgres.PostgresDialect;
import org.junit.jupiter.api.Test;

/** The kind of source is chosen once, from the URL, and answers for its own strategies. */
class SourceDialectTest {
  private static SourceDialect dialect(String url) {
    return SourceDialect.of(new JdbcSource(url, null, 0));
  }

  @Test
  void postgresReadsEveryStrategyAndExportsASnapshotByDefault() {
    SourceDialect postgres = dialect("jdbc:postgresql://127.0.0.1:5432/lab");
    assertInstanceOf(PostgresDialect.class, postgres);
    assertEquals(SnapshotStrategy.EXPORTED, postgres.strategy(null));
    for (SnapshotStrategy strategy : SnapshotStrategy.values()) {
      assertEquals(strategy, postgres.strategy(strategy));
    }
  }

  @Test
  void anyOtherJdbcSourceIsReadWithoutASnapshot() {
    SourceDialect mariadb = dialect("jdbc:mariadb://127.0.0.1:3306/test");
    assertInstanceOf(GenericJdbcDialect.class, mariadb);
    assertEquals(SnapshotStrategy.NONE, mariadb.strategy(null));
    assertEquals(SnapshotStrategy.NONE, mariadb.strategy(SnapshotStrategy.NONE));
    assertEquals(
        "--snapshot exported needs PostgreSQL; other JDBC sources are read with --snapshot none",
        assertThrows(
                IllegalArgumentException.class, () -> mariadb.strategy(SnapshotStrategy.EXPORTED))
            .getMessage());
    assertEquals(
        "--snapshot single needs PostgreSQL; other JDBC sources are read with --snapshot none",
        assertThrows(
                IllegalArgumentException.class, () -> mariadb.strategy(SnapshotStrategy.SINGLE))
            .getMessage());
  }

  @Test
  void aReadRequestNamesExactlyOneOfATableAndAQuery() {
    assertEquals(
        "give exactly one of --query and --table",
        assertThrows(
                IllegalArgumentException.class,
                () -> new ReadRequest("t", "SELECT 1", null, null, 8))
            .getMessage());
    assertEquals(
        "give exactly one of --query and --table",
        assertThrows(
                IllegalArgumentException.class, () -> new ReadRequest(null, null, null, null, 8))
            .getMessage());
  }
}
