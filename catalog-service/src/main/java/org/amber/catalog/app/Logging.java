package org.amber.catalog.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@code serve} logs. The libraries' INFO (the embedded PostgreSQL's initdb and server
 * output, Flyway, Hikari, Jetty, Javalin) is for whoever debugs the service later, not for the
 * person who just started it: it goes to {@code <data-dir>/logs/serve.log}, appended across
 * restarts, and only warnings and errors also reach stderr. {@code --verbose} puts everything on
 * stderr instead (and needs no writable data dir).
 */
final class Logging {
  private static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} %-5level [%thread] %logger{36} - %msg%n";

  /** A warning a person reads next to the start-up lines; its stack trace stays in the file. */
  private static final String BRIEF = "amber: %level %msg%n%nopex";

  private Logging() {}

  /**
   * Sets up logging for one run of {@code serve}.
   *
   * @return where the full log is, in words, for the start-up banner
   */
  static String forServe(Path dataDir, boolean verbose) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    if (verbose) {
      root.addAppender(stderr(context, Level.INFO, PATTERN));
      return "stderr (--verbose)";
    }
    Path file = dataDir.resolve("logs").resolve("serve.log");
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create "
              + file.getParent()
              + " for the log; choose a writable --data-dir or use --verbose",
          e);
    }
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("file");
    appender.setFile(file.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder(context, PATTERN));
    appender.start();
    if (!appender.isStarted()) {
      throw new IllegalStateException(
          "cannot write the log file " + file + "; choose a writable --data-dir or use --verbose");
    }
    root.addAppender(appender);
    root.addAppender(stderr(context, Level.WARN, BRIEF));
    return file.toString();
  }

  private static Appender<ILoggingEvent> stderr(
      LoggerContext context, Level threshold, String pattern) {
    ThresholdFilter filter = new ThresholdFilter();
    filter.setLevel(threshold.toString());
    filter.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setEncoder(encoder(context, pattern));
    appender.addFilter(filter);
    appender.start();
    return appender;
  }

  private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    return encoder;
  }
}
