package org.amber.artifacts.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each protocol line's exact text, as the pipelines have always written it and the catalog and
 * scripts read it, and the way back to the same record: a renamed field or a reordered key fails
 * here.
 */
class ProtocolLinesTest {
  private static final String DIGEST = "sha256:" + "0".repeat(64);

  @Test
  void summaryLine() {
    BuildSummary summary =
        new BuildSummary(
            "sales", "sha256-00", "file:///m.json", DIGEST, 10, 99, "file:///b/b-1.json", null);
    String line = ProtocolLines.write(summary);

    assertEquals(
        "{\"dataset\":\"sales\",\"address\":\"sha256-00\",\"manifest\":\"file:///m.json\","
            + "\"content_digest\":\""
            + DIGEST
            + "\",\"rows\":10,\"bytes\":99,\"build\":\"file:///b/b-1.json\"}",
        line);
    assertEquals(Optional.of(summary), ProtocolLines.readSummary(line));
  }

  @Test
  void startedEvent() {
    roundTrip(
        new BuildEvent.Started("b-1", 4),
        "{\"build_id\":\"b-1\",\"event\":\"started\",\"partitions_total\":4}");
  }

  @Test
  void progressEvent() {
    roundTrip(
        new BuildEvent.Progress(3, 4, 10, 99),
        "{\"bytes\":99,\"event\":\"progress\",\"partitions_done\":3,\"partitions_total\":4,"
            + "\"rows\":10}");
  }

  @Test
  void errorEvent() {
    roundTrip(
        new BuildEvent.Error("column \"nope\" does not exist"),
        "{\"event\":\"error\",\"message\":\"column \\\"nope\\\" does not exist\"}");
  }

  @Test
  void anErrorWithoutAMessageIsStillAnError() {
    roundTrip(new BuildEvent.Error(null), "{\"event\":\"error\",\"message\":null}");
  }

  private static void roundTrip(BuildEvent event, String expected) {
    String line = ProtocolLines.write(event);
    assertEquals(expected, line);
    assertEquals(Optional.of(event), ProtocolLines.readEvent(line));
  }

  @Test
  void otherStderrLinesAreNotEvents() {
    for (String line :
        new String[] {
          null,
          "",
          "a log line that is not JSON",
          "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
          "{not json",
          "{\"event\":\"finished\",\"rows\":1}",
          "{\"message\":\"an object without an event\"}",
          "{\"event\":\"progress\",\"rows\":\"many\"}",
          "[1,2]",
          "null"
        }) {
      assertEquals(Optional.empty(), ProtocolLines.readEvent(line), String.valueOf(line));
    }
  }

  @Test
  void fieldsANewerProcessAddsAreIgnored() {
    assertEquals(
        Optional.of(new BuildEvent.Started("b-1", 2)),
        ProtocolLines.readEvent(
            "{\"event\":\"started\",\"build_id\":\"b-1\",\"partitions_total\":2,\"host\":\"x\"}"));
  }

  @Test
  void aSummaryNeedsItsAddressAndManifest() {
    assertTrue(ProtocolLines.readSummary("some other stdout line").isEmpty());
    assertTrue(ProtocolLines.readSummary("{\"dataset\":\"d\",\"rows\":1}").isEmpty());
    assertTrue(
        ProtocolLines.readSummary("{\"address\":\"sha256-00\",\"manifest\":null}").isEmpty());
    assertEquals(
        Optional.of(new BuildSummary(null, "sha256-00", "file:///m", null, 0, 0, null, null)),
        ProtocolLines.readSummary("{\"address\":\"sha256-00\",\"manifest\":\"file:///m\"}"));
  }
}
