package org.amber.commandline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NearestOptionTest {
  private static final List<String> OPTIONS =
      List.of("partition-column", "partitions", "port", "source", "snapshot", "snapshot-id");

  @Test
  void distanceCountsEditsAndSwapsOfNeighbours() {
    assertEquals(0, NearestOption.distance("port", "port"));
    assertEquals(1, NearestOption.distance("partition-colum", "partition-column"), "a deletion");
    assertEquals(1, NearestOption.distance("sourse", "source"), "a substitution");
    assertEquals(1, NearestOption.distance("prot", "port"), "a swap of neighbours");
    assertEquals(4, NearestOption.distance("", "port"));
    assertEquals(3, NearestOption.distance("kitten", "sitting"));
  }

  @Test
  void suggestsTheClosestOptionWhenItIsCloseEnough() {
    assertEquals(Optional.of("partition-column"), NearestOption.among("partition-colum", OPTIONS));
    assertEquals(Optional.of("port"), NearestOption.among("prot", OPTIONS));
    assertEquals(Optional.of("snapshot-id"), NearestOption.among("snapshotid", OPTIONS));
    assertEquals(Optional.of("partitions"), NearestOption.among("partitons", OPTIONS));
  }

  @Test
  void suggestsNothingForAnUnrelatedWord() {
    assertEquals(Optional.empty(), NearestOption.among("verbose", OPTIONS));
    assertEquals(Optional.empty(), NearestOption.among("x", OPTIONS));
    assertEquals(Optional.empty(), NearestOption.among("port", List.of()));
  }
}
