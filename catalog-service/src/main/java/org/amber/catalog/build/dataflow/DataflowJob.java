package org.amber.catalog.build.dataflow;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Dataflow job, as the catalog records it on a version ({@code
 * dataflow:projects/P/locations/R/jobs/ID}): project and region are kept with the id, so a restart
 * finds the job even if the service's own settings changed meanwhile.
 */
record DataflowJob(String project, String region, String id) {
  private static final String PREFIX = "dataflow:";
  private static final Pattern RECORDED =
      Pattern.compile("dataflow:projects/([^/]+)/locations/([^/]+)/jobs/([^/]+)");

  /** The job a version records, if it is a Dataflow job. */
  static Optional<DataflowJob> parse(String recorded) {
    if (recorded == null) {
      return Optional.empty();
    }
    Matcher m = RECORDED.matcher(recorded);
    return m.matches()
        ? Optional.of(new DataflowJob(m.group(1), m.group(2), m.group(3)))
        : Optional.empty();
  }

  @Override
  public String toString() {
    return PREFIX + "projects/" + project + "/locations/" + region + "/jobs/" + id;
  }
}
