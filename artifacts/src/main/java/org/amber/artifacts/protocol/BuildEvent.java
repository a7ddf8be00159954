package org.amber.artifacts.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One line a build process prints on stderr with {@code --progress json}; its {@code "event"} field
 * says which kind it is. Other stderr lines (logs, stack traces) are not events.
 */
// EXISTING_PROPERTY: "event" is written as an ordinary property, so it takes its place in each
// record's key order (the events were first written with sorted keys) instead of coming first.
@JsonTypeInfo(
    use = JsonTypeInfo.Id.NAME,
    include = JsonTypeInfo.As.EXISTING_PROPERTY,
    property = "event")
@JsonSubTypes({
  @JsonSubTypes.Type(value = BuildEvent.Started.class, name = BuildEvent.STARTED),
  @JsonSubTypes.Type(value = BuildEvent.Progress.class, name = BuildEvent.PROGRESS),
  @JsonSubTypes.Type(value = BuildEvent.Error.class, name = BuildEvent.ERROR)
})
public sealed interface BuildEvent {
  String STARTED = "started";
  String PROGRESS = "progress";
  String ERROR = "error";

  /** The kind of event, the value of its {@code "event"} field. */
  @JsonProperty("event")
  String event();

  /** The build has planned its partitions and starts reading. */
  @JsonPropertyOrder({"build_id", "event", "partitions_total"})
  record Started(
      @JsonProperty("build_id") String buildId,
      @JsonProperty("partitions_total") int partitionsTotal)
      implements BuildEvent {
    @Override
    public String event() {
      return STARTED;
    }
  }

  /** The export's counters so far; sent when they move. */
  @JsonPropertyOrder({"bytes", "event", "partitions_done", "partitions_total", "rows"})
  record Progress(
      @JsonProperty("partitions_done") int partitionsDone,
      @JsonProperty("partitions_total") int partitionsTotal,
      @JsonProperty("rows") long rows,
      @JsonProperty("bytes") long bytes)
      implements BuildEvent {
    @Override
    public String event() {
      return PROGRESS;
    }
  }

  /**
   * Why the build failed, in one readable line, sent just before the process exits non-zero.
   *
   * @param message the reason, or null when the process could not say
   */
  @JsonPropertyOrder({"event", "message"})
  record Error(@JsonProperty("message") String message) implements BuildEvent {
    @Override
    public String event() {
      return ERROR;
    }
  }
}
