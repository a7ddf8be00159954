package org.amber.transforms.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When a table without a key can be split by ctid, and how (servers older than 14 aside). */
class KeylessPlanTest {

  @Test
  void olderServersReadOnePartitionAndSayWhy() {
    String why = PostgresPartitionPlanner.keylessDecision(130_011, "r");
    assertTrue(why.contains("PostgreSQL 13 cannot scan ranges of ctid"), why);
    assertTrue(PostgresPartitionPlanner.keylessDecision(90_624, "r").contains("PostgreSQL 9 "));
  }

  @Test
  void tablesAndMaterializedViewsOnFourteenOrNewerAreSplit() {
    assertNull(PostgresPartitionPlanner.keylessDecision(140_000, "r"));
    assertNull(PostgresPartitionPlanner.keylessDecision(170_006, "m"));
    String why = PostgresPartitionPlanner.keylessDecision(170_006, "p");
    assertTrue(why.contains("not a plain table"), why);
    assertTrue(PostgresPartitionPlanner.keylessDecision(150_000, "v").contains("'v'"));
  }

  @Test
  void pagesAreCutIntoEqualRanges() {
    assertEquals(List.of(25L, 50L, 75L), PostgresPartitionPlanner.pageBoundaries(100, 4));
    assertEquals(List.of(0L, 1L, 1L), PostgresPartitionPlanner.pageBoundaries(2, 4));
  }
}
