package org.amber.catalog.build.dataflow;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how the catalog runs builds on Dataflow, checked.
 *
 * @param project the Google Cloud project the jobs run in
 * @param region the Dataflow region (a location such as {@code europe-west1})
 * @param templatePath the Flex Template's container spec, {@code gs://…/materialise.json}
 * @param serviceAccount the workers' service account e-mail, or null for the project's default
 * @param tempLocation the jobs' {@code gs://} temp location, or null for the template's default
 * @param rootUrl a stand-in for the Dataflow API, reached without credentials; null for Google's
 * @param maxSnapshotHold the longest a build may hold its source snapshot; then it is cancelled
 * @param pollInterval how often a running job's state and counters are read
 * @param sourcePasswordSecrets source name → the Secret Manager version holding its password
 */
public record DataflowConfig(
    String project,
    String region,
    String templatePath,
    String serviceAccount,
    String tempLocation,
    String rootUrl,
    Duration maxSnapshotHold,
    Duration pollInterval,
    Map<String, String> sourcePasswordSecrets) {

  public static final Duration DEFAULT_MAX_SNAPSHOT_HOLD = Duration.ofHours(6);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

  /** Google's rule for project ids (6-30 of a-z 0-9 -, a letter first, no dash last). */
  private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");

  private static final Pattern REGION = Pattern.compile("[a-z]+(-[a-z]+)+[0-9]+");

  /**
   * The pipeline's own rule ({@code SourcePassword.SecretManager.VERSION_NAME}, which cannot be
   * loaded here: that class needs Secret Manager's client, which the catalog does not ship).
   */
  private static final Pattern SECRET_VERSION =
      Pattern.compile(
          "projects/([a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]{1,19})/secrets/[A-Za-z0-9_-]{1,255}"
              + "/versions/([1-9][0-9]*|latest)");

  private static final Pattern GCS = Pattern.compile("gs://[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]/.+");

  public DataflowConfig {
    require(project != null && PROJECT.matcher(project).matches(), "--dataflow-project", project);
    require(region != null && REGION.matcher(region).matches(), "--dataflow-region", region);
    require(
        templatePath != null && GCS.matcher(templatePath).matches(),
        "--dataflow-template (gs://BUCKET/PATH)",
        templatePath);
    require(
        tempLocation == null || GCS.matcher(tempLocation).matches(),
        "--dataflow-temp-location (gs://BUCKET/PATH)",
        tempLocation);
    require(
        serviceAccount == null || serviceAccount.matches("[^@\\s]+@[^@\\s]+"),
        "--dataflow-service-account (an e-mail)",
        serviceAccount);
    if (rootUrl != null) {
      URI uri = URI.create(rootUrl);
      require(
          ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
              && uri.getHost() != null,
          "--dataflow-root-url (http(s)://HOST[:PORT]/)",
          rootUrl);
      rootUrl = rootUrl.endsWith("/") ? rootUrl : rootUrl + "/";
    }
    Objects.requireNonNull(maxSnapshotHold, "maxSnapshotHold");
    Objects.requireNonNull(pollInterval, "pollInterval");
    require(
        !maxSnapshotHold.isNegative() && !maxSnapshotHold.isZero(),
        "--max-snapshot-hold (a positive duration)",
        maxSnapshotHold.toString());
    require(
        !pollInterval.isNegative() && !pollInterval.isZero(),
        "--dataflow-poll-interval (a positive duration)",
        pollInterval.toString());
    sourcePasswordSecrets = Map.copyOf(sourcePasswordSecrets);
    // Refused here, at start-up, rather than by Secret Manager on every worker of a job.
    sourcePasswordSecrets.forEach(
        (source, secret) ->
            require(
                SECRET_VERSION.matcher(secret).matches(),
                "--source-password-secret for '"
                    + source
                    + "' (projects/PROJECT/secrets/NAME/versions/VERSION, VERSION a number or"
                    + " latest)",
                secret));
  }

  private static void require(boolean ok, String option, String value) {
    if (!ok) {
      throw new IllegalArgumentException("invalid " + option + ": '" + value + "'");
    }
  }
}
