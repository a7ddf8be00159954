package org.amber.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --public-url}: checked before anything starts, and the listener's URL by default. */
class PublicUrlTest {
  @TempDir Path dir;

  @Test
  void anAbsoluteHttpUrlIsTakenWithoutItsTrailingSlashes() {
    assertEquals("https://data.example.org", PublicUrl.check("https://data.example.org/"));
    assertEquals("http://10.0.0.1:8080/amber", PublicUrl.check("http://10.0.0.1:8080/amber//"));
    assertEquals("HTTPS://[::1]:9000", PublicUrl.check("HTTPS://[::1]:9000"));
  }

  @Test
  void anythingElseIsRefusedSayingWhy() {
    for (String bad :
        List.of(
            "ftp://data.example.org",
            "javascript:alert(1)",
            "/relative/path",
            "data.example.org",
            "https://",
            "https://user:secret@data.example.org",
            "https://data.example.org/?x=1",
            "https://data.example.org/#top",
            "https://data example.org",
            "http://data.example.org/\r\nSet-Cookie: x")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PublicUrl.check(bad), bad);
      assertTrue(e.getMessage().contains("--public-url"), e.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> CatalogConfig.builder().dataDir(dir).outputRoot("file:///x").publicUrl(bad).build(),
          bad);
    }
  }

  @Test
  void theDefaultIsTheListener() {
    assertEquals("http://127.0.0.1:8080", PublicUrl.ofListener("127.0.0.1", 8080));
    assertEquals("http://localhost:80", PublicUrl.ofListener("0.0.0.0", 80));
    assertEquals("http://[::1]:8080", PublicUrl.ofListener("::1", 8080));
    assertEquals(
        null, CatalogConfig.builder().dataDir(dir).outputRoot("file:///x").build().publicUrl());
  }

  @Test
  void serveRefusesABadPublicUrlAsAUsageErrorBeforeStarting() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ServeCommand()).setErr(new PrintWriter(err));
    Path data = dir.resolve("data");
    int exit = cli.execute("--public-url=ftp://x", "--data-dir=" + data, "--port=0");
    assertEquals(2, exit, err.toString());
    assertTrue(err.toString().contains("--public-url must be an absolute http"), err.toString());
    assertFalse(Files.exists(data), "nothing started");
  }
}
