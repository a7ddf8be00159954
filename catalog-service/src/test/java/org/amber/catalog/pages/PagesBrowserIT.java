package org.amber.catalog.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.Poll;
import org.amber.catalog.testing.SourceData;
import org.amber.catalog.testing.Versions;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real browser (headless Chromium): the landing page of a real build, a build's
 * progress turning into the finished page without a reload, search, the keyboard, a phone's screen,
 * hostile text that never runs, and no serious accessibility violation on any page. Excluded unless
 * {@code AMBER_TEST_CHROMIUM} names the browser (the chromium profile).
 */
class PagesBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration BUILD = Duration.ofMinutes(2);

  /** The advisory lock the {@code gate} function waits on while the test holds it. */
  private static final int GATE_LOCK = 4242;

  private static CatalogFixture catalog;
  private static Api api;
  private static Browser browser;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c);
    SourceData.load(catalog.sourceUrl());
    // A build the test holds back: each row waits until the test lets go of an advisory lock.
    TestPostgres.execute(
        catalog.sourceUrl(),
        "CREATE FUNCTION gate(n integer) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN"
            + " PERFORM pg_advisory_lock_shared("
            + GATE_LOCK
            + "); PERFORM pg_advisory_unlock_shared("
            + GATE_LOCK
            + "); RETURN true; END $$");
    api = catalog.api();
    base = "http://127.0.0.1:" + catalog.service().port();
    define(
        "items",
        "{\"source\":\"src\",\"query\":\"SELECT id, name, price FROM items WHERE id <= 300\","
            + "\"formats\":[\"parquet\",\"csv.gz\"],\"description\":\"Priced items for the"
            + " shop\",\"license\":\"CC-BY-4.0\",\"creators\":[{\"name\":\"Ada Lovelace\"}]}");
    build("items");
    define(
        "hostile",
        "{\"source\":\"src\",\"query\":\"SELECT id FROM extra WHERE id <= 5\",\"description\":"
            + JSON.writeValueAsString(PagesIT.HOSTILE)
            + ",\"creators\":[{\"name\":"
            + JSON.writeValueAsString(PagesIT.HOSTILE)
            + "}]}");
    build("hostile");
    define(
        "gated",
        "{\"source\":\"src\",\"query\":\"SELECT id, label FROM extra WHERE gate(id)\","
            + "\"formats\":[\"csv.gz\"],\"description\":\"Held back by the test\"}");
    browser = Browser.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      catalog.close();
    }
  }

  private static void define(String name, String json) {
    Reply reply = api.put("/v1/datasets/" + name, json);
    assertEquals(201, reply.status(), reply.toString());
  }

  private static void build(String dataset) {
    Reply reply = api.post("/v1/datasets/" + dataset + "/versions", null, "Prefer", "wait=120");
    assertEquals(201, reply.status(), reply.toString());
    assertEquals("COMPLETED", reply.json().get("status").asText(), reply.toString());
  }

  private static void open(String path) {
    browser.driver.manage().window().setSize(new Dimension(1280, 900));
    browser.driver.get(base + path);
  }

  private static WebDriverWait waitUpTo(Duration timeout) {
    return new WebDriverWait(browser.driver, timeout);
  }

  private static void assertAccessible(String page) {
    String violations = browser.seriousAccessibilityViolations();
    assertEquals("", violations, page + " has serious accessibility violations");
  }

  private static Object js(String script) {
    return browser.driver.executeScript(script);
  }

  @Test
  void theLandingPageShowsCitationSchemaAndFilesAndFitsAPhone() throws Exception {
    open("/datasets/items/versions/1");
    assertEquals("items, version 1 · Amber catalog", browser.driver.getTitle());
    String citation = browser.driver.findElement(By.id("citation-text")).getAttribute("value");
    String apiCitation = api.get("/v1/datasets/items/versions/1").json().get("citation").asText();
    assertEquals(apiCitation, citation);
    List<String> columns =
        browser
            .driver
            .findElements(By.cssSelector("[aria-labelledby=schema] tbody tr td:first-child"))
            .stream()
            .map(WebElement::getText)
            .toList();
    assertEquals(List.of("id", "name", "price"), columns);
    List<WebElement> files =
        browser.driver.findElements(By.cssSelector("[aria-labelledby=files] tbody tr"));
    assertEquals(api.get("/v1/datasets/items/versions/1").json().get("files").size(), files.size());
    assertTrue(files.get(0).getText().contains("bytes"), files.get(0).getText());
    List<String> downloads =
        browser.driver.findElements(By.cssSelector(".downloads a")).stream()
            .map(a -> a.getAttribute("href"))
            .toList();
    assertEquals(
        List.of(
            base + "/v1/datasets/items/versions/1/download/items.csv.gz",
            base + "/v1/datasets/items/versions/1/download/items.parquet"),
        downloads);
    assertTrue(
        browser.driver.findElement(By.cssSelector("button.copy")).isDisplayed(),
        "the copy button shows once the script runs");
    assertAccessible("the landing page");
    Files.createDirectories(SCREENSHOTS);
    Path desktop = screenshot("landing-desktop.png");

    browser.driver.manage().window().setSize(new Dimension(390, 844));
    Number overflow =
        (Number)
            js(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertEquals(0, overflow.intValue(), "nothing is wider than a phone's screen");
    assertAccessible("the landing page on a phone");
    Path phone = screenshot("landing-phone.png");
    for (Path png : List.of(desktop, phone)) {
      byte[] bytes = Files.readAllBytes(png);
      assertTrue(bytes.length > 10_000, png + " is " + bytes.length + " bytes");
      assertTrue(
          Arrays.equals(
              Arrays.copyOf(bytes, 8), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}),
          png + " is a PNG");
    }
  }

  private static Path screenshot(String name) throws Exception {
    Path file = SCREENSHOTS.resolve(name);
    Files.write(file, browser.driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  @Test
  void theCopyButtonWorksFromTheKeyboard() {
    open("/datasets/items/versions/1");
    WebElement button = browser.driver.findElement(By.cssSelector("button.copy"));
    WebElement status = browser.driver.findElement(By.id("copy-status"));
    assertEquals("", status.getText());
    boolean reached = false;
    for (int tab = 0; tab < 60 && !reached; tab++) {
      browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
      reached = button.equals(browser.driver.switchTo().activeElement());
    }
    assertTrue(reached, "Tab reaches the copy button");
    browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    waitUpTo(Duration.ofSeconds(10)).until(d -> !status.getText().isEmpty());
    assertEquals("Copied to the clipboard.", status.getText());
  }

  @Test
  void searchFiltersTheDatasetsWithoutScript() {
    open("/");
    assertAccessible("the datasets page");
    WebElement q = browser.driver.findElement(By.id("q"));
    q.sendKeys("priced");
    q.submit();
    waitUpTo(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("q=priced"));
    List<String> names =
        browser.driver.findElements(By.cssSelector(".datasets h2 a")).stream()
            .map(WebElement::getText)
            .toList();
    assertEquals(List.of("items"), names);
    assertEquals("priced", browser.driver.findElement(By.id("q")).getAttribute("value"));
    browser.driver.findElement(By.linkText("items")).click();
    waitUpTo(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/datasets/items"));
    assertAccessible("the dataset page");
    assertTrue(
        browser.driver.findElement(By.linkText("Version 1")).isDisplayed(), "versions listed");
    open("/datasets/nope");
    assertEquals("Not found", browser.driver.findElement(By.tagName("h1")).getText());
    assertAccessible("the 404 page");
  }

  @Test
  void hostileTextNeverRuns() {
    for (String path : List.of("/", "/datasets/hostile", "/datasets/hostile/versions/1")) {
      open(path);
      waitUpTo(Duration.ofSeconds(10))
          .until(d -> "complete".equals(js("return document.readyState")));
      assertNull(js("return window.__pwned === undefined ? null : window.__pwned"), path);
      assertTrue(
          browser.driver.findElement(By.tagName("main")).getText().contains("window.__pwned=1"),
          path + " shows the text as text");
    }
  }

  @Test
  void aBuildInProgressShowsProgressAndTurnsCompleteWithoutAReload() throws Exception {
    try (Connection gate = DriverManager.getConnection(catalog.sourceUrl());
        Statement hold = gate.createStatement()) {
      hold.execute("SELECT pg_advisory_lock(" + GATE_LOCK + ")");
      Reply started = api.post("/v1/datasets/gated/versions", null);
      assertEquals(202, started.status(), started.toString());
      String version = started.header("Location").orElseThrow();
      Versions.awaitStatus(api, version, BUILD, "EXECUTING");
      // Without a partition column the build plans one partition, then waits at the gate.
      Poll.until(
          "the build to plan its partition",
          BUILD,
          () -> api.get(version).json().get("progress"),
          p -> p.get("partitions_total").asInt() == 1);

      open("/datasets/gated/versions/1");
      WebElement bar = browser.driver.findElement(By.id("build-progress"));
      assertTrue(bar.isDisplayed(), "a progress bar while building");
      assertEquals("EXECUTING", browser.driver.findElement(By.id("status-text")).getText());
      assertEquals(
          "polite", browser.driver.findElement(By.id("build-status")).getAttribute("aria-live"));
      assertEquals("1", bar.getAttribute("max"), "one partition planned, held back by the gate");
      assertEquals("0", bar.getAttribute("value"));
      assertEquals(
          "0 of 1 partitions, 0 rows so far.",
          browser.driver.findElement(By.id("build-status")).getText());
      assertAccessible("the landing page while building");
      assertTrue(browser.driver.findElements(By.id("citation-text")).isEmpty());
      js("window.__samePage = 'not reloaded'");

      hold.execute("SELECT pg_advisory_unlock(" + GATE_LOCK + ")");
    }
    waitUpTo(BUILD)
        .until(
            d ->
                "COMPLETED"
                    .equals(
                        js(
                            "var s = document.getElementById('status-text');"
                                + " return s && s.textContent")));
    assertEquals("not reloaded", js("return window.__samePage"), "the page was not reloaded");
    assertTrue(browser.driver.findElements(By.id("build-progress")).isEmpty(), "no bar now");
    String citation = browser.driver.findElement(By.id("citation-text")).getAttribute("value");
    assertEquals(
        api.get("/v1/datasets/gated/versions/1").json().get("citation").asText(), citation);
    assertFalse(browser.driver.findElements(By.cssSelector(".downloads a")).isEmpty());
    assertTrue(
        browser.driver.findElement(By.cssSelector("button.copy")).isDisplayed(),
        "the new contents' copy button works too");
    Object ld = js("return JSON.parse(document.getElementById('json-ld').textContent).identifier");
    assertEquals(
        api.get("/v1/datasets/gated/versions/1").json().get("content_digest").asText(), ld);
    assertAccessible("the landing page once complete");
  }
}
