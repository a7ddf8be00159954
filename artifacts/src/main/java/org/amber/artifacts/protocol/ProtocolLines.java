package org.amber.artifacts.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Writes and reads the protocol's lines, one JSON object per line. The reader tolerates what else
 * shares the streams — log lines, stack traces, events of a newer build process — as "not a
 * protocol line" rather than failing.
 */
public final class ProtocolLines {
  // Unknown fields are ignored so that a newer build process can add some without breaking an
  // older launcher.
  private static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private ProtocolLines() {}

  /** The summary as one line of JSON, without the line break. */
  public static String write(BuildSummary summary) {
    return line(summary);
  }

  /** The event as one line of JSON, without the line break. */
  public static String write(BuildEvent event) {
    return line(event);
  }

  /**
   * The summary on {@code line}, if it is one: a JSON object naming at least the version's address
   * and manifest.
   */
  public static Optional<BuildSummary> readSummary(String line) {
    return read(line, BuildSummary.class)
        .filter(summary -> summary.address() != null && summary.manifest() != null);
  }

  /** The event on {@code line}; empty for any other line, including events of unknown kinds. */
  public static Optional<BuildEvent> readEvent(String line) {
    return read(line, BuildEvent.class);
  }

  private static String line(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write a protocol line", e);
    }
  }

  private static <T> Optional<T> read(String line, Class<T> type) {
    // Most stderr lines are plain text: skip them without asking the parser.
    if (line == null || !line.strip().startsWith("{")) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(JSON.readValue(line, type));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
