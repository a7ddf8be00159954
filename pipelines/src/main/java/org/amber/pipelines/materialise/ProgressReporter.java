package org.amber.pipelines.materialise;

import java.io.PrintStream;
import java.util.Locale;
import org.amber.artifacts.protocol.BuildEvent;
import org.amber.artifacts.protocol.ProtocolLines;
import org.amber.transforms.export.ExportPartitions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Shows a running build's progress on stderr from the export's counters: a bar on a terminal, plain
 * lines otherwise, or one JSON object per line for programs (the catalog service) with {@code
 * --progress json}.
 */
final class ProgressReporter {
  enum Mode {
    BAR,
    PLAIN,
    JSON,
    NONE
  }

  private final PrintStream err;
  private final Mode mode;
  private int partitionsTotal;
  private final long startNanos = System.nanoTime();
  private long lastRows = -1;
  private long lastPartitions = -1;

  ProgressReporter(PrintStream err, String mode) {
    this.err = err;
    this.mode = parse(mode);
  }

  private static Mode parse(String mode) {
    switch (mode) {
      case "auto":
        return System.console() != null ? Mode.BAR : Mode.PLAIN;
      case "plain":
        return Mode.PLAIN;
      case "json":
        return Mode.JSON;
      case "none":
        return Mode.NONE;
      default:
        throw new IllegalArgumentException(
            "unknown --progress '" + mode + "' (auto, plain, json or none)");
    }
  }

  void started(String buildId, int partitionsTotal) {
    this.partitionsTotal = partitionsTotal;
    if (mode == Mode.JSON) {
      err.println(ProtocolLines.write(new BuildEvent.Started(buildId, partitionsTotal)));
    } else if (mode != Mode.NONE) {
      err.printf(
          "amber: build %s, %d partition%s%n",
          buildId, partitionsTotal, partitionsTotal == 1 ? "" : "s");
    }
  }

  /**
   * Says something about the build's plan a person should know (the build record keeps it too). Not
   * in JSON mode: every line there is one protocol event.
   */
  void note(String text) {
    if (mode == Mode.BAR || mode == Mode.PLAIN) {
      err.println("amber: " + text);
    }
  }

  /** Reports the counters if they moved since the last report. */
  void report(PipelineResult result) {
    if (mode == Mode.NONE) {
      return;
    }
    long partitions = 0;
    long rows = 0;
    long bytes = 0;
    try {
      MetricQueryResults metrics =
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.inNamespace(ExportPartitions.NAMESPACE))
                      .build());
      for (MetricResult<Long> counter : metrics.getCounters()) {
        long value = counter.getAttempted() == null ? 0 : counter.getAttempted();
        switch (counter.getName().getName()) {
          case ExportPartitions.PARTITIONS_DONE:
            partitions = value;
            break;
          case ExportPartitions.ROWS:
            rows = value;
            break;
          case ExportPartitions.BYTES:
            bytes = value;
            break;
          default:
            break;
        }
      }
    } catch (RuntimeException e) {
      return; // a runner without live metrics: no progress, the build goes on
    }
    if (rows == lastRows && partitions == lastPartitions) {
      return;
    }
    lastRows = rows;
    lastPartitions = partitions;
    double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    switch (mode) {
      case JSON:
        err.println(
            ProtocolLines.write(
                new BuildEvent.Progress(
                    Math.toIntExact(partitions), partitionsTotal, rows, bytes)));
        break;
      case BAR:
        int width = 30;
        int filled = partitionsTotal == 0 ? width : (int) (width * partitions / partitionsTotal);
        err.printf(
            Locale.ROOT,
            "\r[%s%s] %d/%d partitions, %,d rows, %.1f MB, %.1f MB/s ",
            "#".repeat(filled),
            ".".repeat(width - filled),
            partitions,
            partitionsTotal,
            rows,
            bytes / 1e6,
            bytes / 1e6 / seconds);
        break;
      default:
        err.printf(
            Locale.ROOT,
            "amber: %d/%d partitions, %,d rows, %.1f MB written, %.1f MB/s%n",
            partitions,
            partitionsTotal,
            rows,
            bytes / 1e6,
            bytes / 1e6 / seconds);
    }
  }

  void finished() {
    if (mode == Mode.BAR) {
      err.println();
    }
  }
}
