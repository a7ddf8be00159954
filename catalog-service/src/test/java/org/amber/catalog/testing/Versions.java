package org.amber.catalog.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;

/** Waiting on versions through the API's own long poll. */
public final class Versions {
  private Versions() {}

  /** Long-polls a version until its status is one of {@code statuses}. */
  public static JsonNode awaitStatus(
      Api api, String versionPath, Duration timeout, String... statuses) {
    Set<String> wanted = Set.of(statuses);
    return Poll.until(
        versionPath + " to be " + wanted,
        timeout,
        () -> {
          Api.Reply reply = api.get(versionPath + "?wait=20");
          if (reply.status() != 200) {
            throw new AssertionError("GET " + versionPath + " answered " + reply);
          }
          return reply.json();
        },
        v -> wanted.contains(v.get("status").asText()));
  }

  /** A version's build while it runs: its id and its child process. */
  public record RunningBuild(String buildId, ProcessHandle process) {}

  /** Waits until a version's build is EXECUTING and its child process can be seen. */
  public static RunningBuild awaitBuildProcess(Api api, String versionPath, Duration timeout) {
    String buildId =
        Poll.until(
                "the build of " + versionPath + " to run",
                timeout,
                () -> api.get(versionPath).json(),
                v -> v.get("status").asText().equals("EXECUTING"))
            .get("build_id")
            .asText();
    ProcessHandle process =
        Poll.until(
                "the build process of " + buildId,
                Duration.ofSeconds(30),
                () -> SourceData.buildProcess(buildId),
                java.util.Optional::isPresent)
            .orElseThrow();
    return new RunningBuild(buildId, process);
  }
}
