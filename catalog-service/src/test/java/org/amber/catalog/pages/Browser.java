package org.amber.catalog.pages;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium driven by Selenium: Debian's {@code chromium} and {@code chromedriver}, both
 * named explicitly so that Selenium Manager never looks for (or downloads) a browser or driver.
 * Starting fails loudly when either is missing: the tests using it run only when asked to.
 */
final class Browser implements AutoCloseable {
  final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  static Browser start() throws Exception {
    String chromium = env("AMBER_TEST_CHROMIUM", "/usr/bin/chromium");
    String chromedriver = env("AMBER_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");
    for (String file : List.of(chromium, chromedriver)) {
      if (!Files.isExecutable(Path.of(file))) {
        throw new IllegalStateException(
            file + " is not an executable: install chromium and chromium-driver (see .ci/run)");
      }
    }
    Path profile = Files.createTempDirectory("amber-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile,
        "--window-size=1280,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(chromedriver))
            .usingAnyFreePort()
            .build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  private static String env(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : value;
  }

  /** The axe-core violations of impact serious or critical on the current page, described. */
  String seriousAccessibilityViolations() {
    Results results = new AxeBuilder().analyze(driver);
    if (results.isErrored()) {
      throw new AssertionError("axe-core failed: " + results.getErrorMessage());
    }
    return results.getViolations().stream()
        .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact()))
        .map(Browser::describe)
        .collect(Collectors.joining("\n"));
  }

  private static String describe(Rule rule) {
    return rule.getImpact()
        + " "
        + rule.getId()
        + ": "
        + rule.getHelp()
        + " at "
        + rule.getNodes().stream().map(n -> String.valueOf(n.getTarget())).toList();
  }

  @Override
  public void close() throws Exception {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
