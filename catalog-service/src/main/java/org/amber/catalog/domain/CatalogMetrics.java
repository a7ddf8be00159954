package org.amber.catalog.domain;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.amber.catalog.domain.model.VersionStatus;

/**
 * What {@code /metrics} shows, in the Prometheus text format: versions by status (read from the
 * catalog at scrape time, so it is right after a restart), build durations and HTTP latencies.
 */
public final class CatalogMetrics {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Histogram buildDurations;
  private final Histogram httpLatencies;

  /**
   * @param versionsByStatus asked at every scrape
   */
  public CatalogMetrics(Supplier<Map<VersionStatus, Long>> versionsByStatus) {
    GaugeWithCallback.builder()
        .name("amber_versions")
        .help("Dataset versions (builds) by status")
        .labelNames("status")
        .callback(
            callback ->
                versionsByStatus.get().forEach((status, n) -> callback.call(n, status.name())))
        .register(registry);
    buildDurations =
        Histogram.builder()
            .name("amber_build_duration_seconds")
            .help("Time from a build's start to its end, by how it ended")
            .labelNames("status")
            .classicOnly()
            .classicUpperBounds(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200)
            .register(registry);
    httpLatencies =
        Histogram.builder()
            .name("amber_http_request_duration_seconds")
            .help("HTTP request latency by method, route and status")
            .labelNames("method", "route", "status")
            .classicOnly()
            .classicUpperBounds(
                0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60)
            .register(registry);
  }

  public void buildEnded(VersionStatus status, Duration took) {
    buildDurations.labelValues(status.name()).observe(took.toNanos() / 1e9);
  }

  /**
   * @param route the route template, never the raw path, so labels stay few
   */
  public void httpRequest(String method, String route, int status, long nanos) {
    httpLatencies.labelValues(method, route, Integer.toString(status)).observe(nanos / 1e9);
  }

  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
