package org.amber.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code serve} tells a person at start-up, and that no secret is ever part of it. */
class StartupBannerTest {
  private static CatalogConfig.Builder config() {
    return CatalogConfig.builder()
        .host("127.0.0.1")
        .dataDir(Path.of("/srv/amber"))
        .outputRoot("file:///srv/amber");
  }

  private static String banner(CatalogConfig config) {
    return String.join("\n", StartupBanner.lines(config, 8123, "/srv/amber/logs/serve.log"));
  }

  @Test
  void embeddedDemoCatalog() {
    List<String> lines =
        StartupBanner.lines(config().demoMode(true).build(), 8123, "/srv/amber/logs/serve.log");
    assertTrue(lines.size() <= 10, lines.toString());
    assertEquals(
        List.of(
            "amber catalog listening on 127.0.0.1:8123",
            "  url:        http://127.0.0.1:8123/",
            "  catalog:    embedded PostgreSQL in /srv/amber/.catalog",
            "  artifacts:  file:///srv/amber",
            "  sources:    none; builds need one (--source NAME=JDBC_URL)",
            "  mode:       demo: writes need no token, reads are public",
            "  log:        /srv/amber/logs/serve.log",
            "ready; stop with Ctrl-C"),
        lines);
  }

  @Test
  void sourcesAndExternalCatalogAreShownWithTheirRoleAndWithoutPasswords() {
    String banner =
        banner(
            config()
                .host("0.0.0.0")
                .publicUrl("https://data.example.org/amber/")
                .demoMode(false)
                .publicRead(false)
                .catalogUrl("jdbc:postgresql://db:5432/catalog?user=amber&password=s3cret")
                .sources(
                    Map.of(
                        "shop", "jdbc:postgresql://db:5432/shop?password=hunter2&user=reader",
                        "crm", "jdbc:mariadb://crm_ro:t0psecret@crm:3306/crm"))
                .build());
    assertTrue(
        banner.contains("url:        http://localhost:8123/ (listening on every interface)"),
        banner);
    assertTrue(
        banner.contains(
            "public url: https://data.example.org/amber/ (citations link to pages under it)"),
        banner);
    assertTrue(
        banner.contains("catalog:    jdbc:postgresql://db:5432/catalog as role amber"), banner);
    assertTrue(
        banner.contains(
            "sources:    crm (jdbc:mariadb://crm_ro@crm:3306/crm), shop (jdbc:postgresql://db:5432/shop as role reader)"),
        banner);
    assertTrue(banner.contains("mode:       tokens: writes need a token"), banner);
    assertTrue(banner.contains("reads need a token"), banner);
    for (String secret : List.of("s3cret", "hunter2", "t0psecret", "password")) {
      assertFalse(banner.contains(secret), secret + " in:\n" + banner);
    }
  }
}
