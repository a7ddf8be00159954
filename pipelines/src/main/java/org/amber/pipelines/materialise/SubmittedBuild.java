package org.amber.pipelines.materialise;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;

/**
 * A build handed to a runner that runs it elsewhere (Dataflow), as {@code materialise} prints it:
 * one line of JSON. Nothing is committed yet; the job writes {@code manifest.json} and then the
 * build record at {@code build} when it has.
 *
 * @param jobId the runner's job id, or null when the runner gives none
 */
public record SubmittedBuild(
    @JsonProperty("dataset") String dataset,
    @JsonProperty("build_id") String buildId,
    @JsonProperty("runner") String runner,
    @JsonProperty("job_id") String jobId,
    @JsonProperty("build") String buildRecord) {

  private static final JsonMapper JSON = new JsonMapper();

  /** One line of JSON, without the line break. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
