package org.amber.pipelines.materialise;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.PipelineOptions;

/** Build ids that sort by start time and never collide: {@code 20261121T101500Z-3f9a1c2b}. */
public final class BuildIds implements DefaultValueFactory<String> {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

  @Override
  public String create(PipelineOptions options) {
    return next();
  }

  public static String next() {
    byte[] suffix = new byte[4];
    RANDOM.nextBytes(suffix);
    return STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + HexFormat.of().formatHex(suffix);
  }
}
