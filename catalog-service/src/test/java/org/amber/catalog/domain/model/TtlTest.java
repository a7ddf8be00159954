package org.amber.catalog.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TtlTest {
  private static final Instant START = Instant.parse("2026-01-31T10:00:00Z");

  @Test
  void addsDurationsAndCalendarPartsInUtc() {
    assertEquals(Instant.parse("2026-02-07T10:00:00Z"), Ttl.parse("P7D").after(START));
    assertEquals(Instant.parse("2026-01-31T11:30:00Z"), Ttl.parse("PT1H30M").after(START));
    assertEquals(Instant.parse("2026-02-28T10:00:00Z"), Ttl.parse("P1M").after(START));
    assertEquals(Instant.parse("2027-02-01T12:00:00Z"), Ttl.parse("P1Y1DT2H").after(START));
    assertEquals(Instant.parse("2026-02-14T10:00:00Z"), Ttl.parse("p2w").after(START));
    assertEquals("P2W", Ttl.parse("p2w").toString());
  }

  @Test
  void refusesNonPositiveUnparseableAndAbsurd() {
    for (String bad :
        new String[] {
          "P0D",
          "PT0S",
          "-P1D",
          "P-1D",
          "PT-5M",
          "P101Y",
          "P40000D",
          "1 day",
          "",
          "P",
          "P999999999Y",
          "P2147483647M",
          "P999999999W",
          "PT9999999999999H",
          "P99999999999999999999D"
        }) {
      assertThrows(IllegalArgumentException.class, () -> Ttl.parse(bad), bad);
    }
  }
}
