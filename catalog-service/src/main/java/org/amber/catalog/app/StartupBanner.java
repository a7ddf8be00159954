package org.amber.catalog.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few lines {@code serve} prints once it takes requests: where it listens, where the catalog
 * and the artifacts are, which sources clients may name (and as which database role), whether
 * writes need a token, and where the full log is. No password ever appears: URLs are shown without
 * their query string.
 */
final class StartupBanner {
  /** {@code user=NAME} in a JDBC URL's query string. */
  private static final Pattern USER = Pattern.compile("[?&;]user=([^&;]*)");

  private StartupBanner() {}

  static void print(PrintWriter out, CatalogConfig config, int port, String log) {
    lines(config, port, log).forEach(out::println);
    out.flush();
  }

  static List<String> lines(CatalogConfig config, int port, String log) {
    List<String> lines = new ArrayList<>();
    // "catalog listening on HOST:PORT" is what scripts and tests wait for (bench/load.sh).
    lines.add("amber catalog listening on " + config.host() + ":" + port);
    lines.add("  url:        " + url(config.host(), port));
    if (config.publicUrl() != null) {
      lines.add("  public url: " + config.publicUrl() + "/ (citations link to pages under it)");
    }
    lines.add(
        "  catalog:    "
            + (config.catalogUrl() == null
                ? "embedded PostgreSQL in " + config.embeddedCatalogDir()
                : withoutSecrets(config.catalogUrl())));
    lines.add("  artifacts:  " + config.outputRoot());
    lines.add("  sources:    " + sources(config.sources()));
    lines.add("  mode:       " + mode(config));
    lines.add("  log:        " + log);
    lines.add("ready; stop with Ctrl-C");
    return lines;
  }

  private static String url(String host, int port) {
    return PublicUrl.ofListener(host, port)
        + "/"
        + (PublicUrl.isWildcard(host) ? " (listening on every interface)" : "");
  }

  private static String sources(Map<String, String> sources) {
    if (sources.isEmpty()) {
      return "none; builds need one (--source NAME=JDBC_URL)";
    }
    List<String> shown = new ArrayList<>();
    new java.util.TreeMap<>(sources)
        .forEach((name, url) -> shown.add(name + " (" + withoutSecrets(url) + ")"));
    return String.join(", ", shown);
  }

  /** {@code jdbc:postgresql://db:5432/shop as reader}: the URL without its query, and the role. */
  private static String withoutSecrets(String jdbcUrl) {
    int query = jdbcUrl.indexOf('?');
    String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    // user:password@host forms (MySQL, MariaDB) keep only the user.
    base = base.replaceFirst("//([^/@:]*)(:[^/@]*)?@", "//$1@");
    Matcher user = USER.matcher(jdbcUrl);
    return user.find() && !user.group(1).isEmpty() ? base + " as role " + user.group(1) : base;
  }

  private static String mode(CatalogConfig config) {
    String reads = config.publicRead() ? "reads are public" : "reads need a token";
    return config.demoMode()
        ? "demo: writes need no token, " + reads
        : "tokens: writes need a token (amber token create --scope write), " + reads;
  }
}
