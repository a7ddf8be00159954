package org.amber.catalog.domain.model;

/** How far a build has got, as its process last reported. Zero before the first report. */
public record Progress(int partitionsDone, int partitionsTotal, long rows, long bytes) {
  public static final Progress NONE = new Progress(0, 0, 0, 0);
}
