package org.amber.catalog.app;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine;

/**
 * Where an option not given on the command line comes from: the environment variable {@code
 * AMBER_<OPTION>} (e.g. {@code AMBER_MAX_CONCURRENT_BUILDS}), then the {@code --config} file (Java
 * properties with the option names as keys, e.g. {@code max-concurrent-builds = 4}, and sources as
 * {@code source.NAME = JDBC_URL}, a source's own statement timeout as {@code
 * source.NAME.statement-timeout = PT30M} and its password secret for Dataflow as {@code
 * source.NAME.password-secret = projects/P/secrets/S/versions/V}), then the option's built-in
 * default.
 */
final class SettingsDefaults implements CommandLine.IDefaultValueProvider {
  /** The option giving sources their own statement timeouts, set per source in the file. */
  static final String SOURCE_TIMEOUT_OPTION = "source-statement-timeout";

  /** The option naming sources' password secrets, set per source in the file. */
  static final String SOURCE_SECRET_OPTION = "source-password-secret";

  private static final String STATEMENT_TIMEOUT = "statement-timeout";
  private static final String PASSWORD_SECRET = "password-secret";

  private final Properties file = new Properties();

  SettingsDefaults(Path configFile) {
    if (configFile != null) {
      try (Reader in = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
        file.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the config file " + configFile, e);
      }
    }
  }

  /** The {@code --config} file named in the arguments or by {@code AMBER_CONFIG}, or null. */
  static Path configFile(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    String fromEnv = System.getenv("AMBER_CONFIG");
    return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
  }

  @Override
  public String defaultValue(CommandLine.Model.ArgSpec arg) {
    if (!arg.isOption()) {
      return null;
    }
    String name = ((CommandLine.Model.OptionSpec) arg).longestName().replaceFirst("^-+", "");
    if (name.equals("source")
        || name.equals(SOURCE_TIMEOUT_OPTION)
        || name.equals(SOURCE_SECRET_OPTION)) {
      return null;
    }
    String env = System.getenv("AMBER_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
    if (env != null && !env.isBlank()) {
      return env;
    }
    return file.getProperty(name);
  }

  /**
   * Sources from {@code AMBER_SOURCES} ("name=url name=url") and the file's {@code source.NAME}.
   */
  Map<String, String> sources() {
    Map<String, String> sources = new TreeMap<>();
    for (String key : file.stringPropertyNames()) {
      // A source name has no dot: source.NAME.statement-timeout is a setting of source NAME.
      if (key.startsWith("source.") && key.indexOf('.', "source.".length()) < 0) {
        sources.put(key.substring("source.".length()), file.getProperty(key).trim());
      }
    }
    String env = System.getenv("AMBER_SOURCES");
    if (env != null) {
      for (String pair : env.trim().split("\\s+")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          sources.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return sources;
  }

  /** The file's {@code source.NAME.statement-timeout} settings, as source name → text. */
  Map<String, String> sourceStatementTimeouts() {
    return perSource(STATEMENT_TIMEOUT);
  }

  /** The file's {@code source.NAME.password-secret} settings, as source name → secret version. */
  Map<String, String> sourcePasswordSecrets() {
    return perSource(PASSWORD_SECRET);
  }

  private Map<String, String> perSource(String setting) {
    Map<String, String> values = new TreeMap<>();
    String suffix = "." + setting;
    for (String key : file.stringPropertyNames()) {
      if (key.startsWith("source.") && key.endsWith(suffix)) {
        values.put(
            key.substring("source.".length(), key.length() - suffix.length()),
            file.getProperty(key).trim());
      }
    }
    return values;
  }
}
