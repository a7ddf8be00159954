package org.amber.catalog.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.Poll;
import org.amber.catalog.testing.SourceData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Downloads over a real socket: each format's one file, a shard, the manifest and SHA256SUMS, whole
 * and by ranges, resumed after a cut, with validators and digests; {@code sha256sum -c} on what a
 * user saves.
 */
class DownloadTest {
  private static final int ROWS = 3000;
  private static CatalogFixture catalog;
  private static Api api;
  private static String version;
  private static JsonNode manifest;
  @TempDir static Path saved;

  @BeforeAll
  static void start() throws Exception {
    catalog = CatalogFixture.start(c -> c);
    SourceData.load(catalog.sourceUrl());
    api = catalog.api();
    assertEquals(
        201,
        api.put(
                "/v1/datasets/items",
                "{\"source\":\"src\",\"table\":\"public.items\","
                    + "\"formats\":[\"parquet\",\"csv.gz\",\"ndjson.gz\"],"
                    + "\"partition_column\":\"id\",\"partitions\":3}")
            .status());
    Reply built = api.post("/v1/datasets/items/versions", null, "Prefer", "wait=120");
    assertEquals(201, built.status(), built.toString());
    version = built.json().get("url").asText();
    manifest = api.get(version + "/manifest.json").json();
    // The version lists each format's download, as the service serves it.
    JsonNode downloads = built.json().get("downloads");
    assertEquals(3, downloads.size(), downloads.toString());
    for (JsonNode d : downloads) {
      String format = d.get("format").asText();
      assertEquals(downloadPath(format), d.get("url").asText());
      assertEquals("items." + format, d.get("name").asText());
      JsonNode recorded = manifest.get("formats").get(format).get("download");
      assertEquals(recorded.get("sha256").asText(), d.get("sha256").asText());
      assertEquals(recorded.get("bytes").asLong(), d.get("bytes").asLong());
    }
    assertEquals(version + "/SHA256SUMS", built.json().get("sha256sums_url").asText());
  }

  @AfterAll
  static void stop() {
    catalog.close();
  }

  private static String downloadPath(String format) {
    return version + "/download/items." + format;
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }

  private static void assertDigest(byte[] whole, Reply reply) throws Exception {
    byte[] digest = sha256(whole);
    assertEquals(
        "sha-256=:" + Base64.getEncoder().encodeToString(digest) + ":",
        reply.header("Repr-Digest").orElseThrow(),
        "Repr-Digest of the whole file");
    assertEquals(
        "\"sha256:" + HexFormat.of().formatHex(digest) + "\"", reply.header("ETag").orElseThrow());
  }

  /** The whole file, as a client that also accepts compression gets it: exactly as stored. */
  private static Reply whole(String path) throws Exception {
    Reply reply = api.get(path, "Accept-Encoding", "gzip, deflate, br, zstd");
    assertEquals(200, reply.status(), path + ": " + reply);
    assertFalse(reply.header("Content-Encoding").isPresent(), "artifacts are never re-compressed");
    assertEquals(
        String.valueOf(reply.bytes().length), reply.header("Content-Length").orElseThrow(), path);
    assertEquals("bytes", reply.header("Accept-Ranges").orElseThrow());
    assertEquals(
        "public, max-age=31536000, immutable", reply.header("Cache-Control").orElseThrow());
    assertDigest(reply.bytes(), reply);
    return reply;
  }

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "csv.gz", "ndjson.gz"})
  void oneFileIsTheShardsJoinedAndServedByRange(String format) throws Exception {
    String path = downloadPath(format);
    Reply full = whole(path);
    byte[] bytes = full.bytes();
    assertEquals(
        "attachment; filename=\"items." + format + "\"",
        full.header("Content-Disposition").orElseThrow());
    assertEquals(
        manifest.get("formats").get(format).get("download").get("sha256").asText(),
        HexFormat.of().formatHex(sha256(bytes)),
        "the digest the build recorded is the served file's");
    if (format.equals("parquet")) {
      assertEquals("application/vnd.apache.parquet", full.header("Content-Type").orElseThrow());
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      assertTrue(text.startsWith("PAR1") && text.endsWith("PAR1"));
    } else {
      assertEquals("application/gzip", full.header("Content-Type").orElseThrow());
      // One valid gzip stream of every row, the CSV header once.
      List<String> lines = gunzipLines(bytes);
      if (format.equals("csv.gz")) {
        assertEquals("id,name,price", lines.get(0));
        assertEquals(ROWS + 1, lines.size());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("id,")).count());
      } else {
        assertEquals(ROWS, lines.size());
      }
    }
    long shardBytes = 0;
    for (JsonNode shard : manifest.get("formats").get(format).get("files")) {
      shardBytes += shard.get("bytes").asLong();
    }
    assertTrue(bytes.length <= shardBytes && bytes.length > shardBytes / 2, "no second copy");

    // Ranges: from the start, to the end, a suffix, and one across every shard boundary.
    int n = bytes.length;
    assertRange(path, bytes, "bytes=0-99", 0, 99);
    assertRange(path, bytes, "bytes=" + (n / 3) + "-", n / 3, n - 1);
    assertRange(path, bytes, "bytes=-50", n - 50, n - 1);
    assertRange(path, bytes, "bytes=10-" + (n - 10), 10, n - 10);
    assertRange(path, bytes, "bytes=" + (n - 1) + "-" + (n + 1000), n - 1, n - 1);

    // Cut after part of the file, then resumed from where it stopped.
    int cut = n / 2 + 17;
    byte[] first = readThenDrop(path, cut);
    Reply rest =
        api.get(path, "Range", "bytes=" + cut + "-", "If-Range", full.header("ETag").orElseThrow());
    assertEquals(206, rest.status());
    ByteArrayOutputStream resumed = new ByteArrayOutputStream();
    resumed.write(first);
    resumed.write(rest.bytes());
    assertArrayEquals(bytes, resumed.toByteArray());
    assertDigest(resumed.toByteArray(), rest);
  }

  private static List<String> gunzipLines(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return List.of(text.split("\n"));
    }
  }

  private static void assertRange(String path, byte[] whole, String range, int first, int last)
      throws Exception {
    Reply part = api.get(path, "Range", range);
    assertEquals(206, part.status(), range);
    assertEquals(
        "bytes " + first + "-" + last + "/" + whole.length,
        part.header("Content-Range").orElseThrow(),
        range);
    assertEquals(String.valueOf(last - first + 1), part.header("Content-Length").orElseThrow());
    byte[] expected = new byte[last - first + 1];
    System.arraycopy(whole, first, expected, 0, expected.length);
    assertArrayEquals(expected, part.bytes(), range);
    assertDigest(whole, part);
  }

  /** Reads the headers and {@code count} body bytes, then drops the connection. */
  private static byte[] readThenDrop(String path, int count) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", catalog.service().port()), 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        assertTrue(b >= 0, "the answer ended in its headers");
        matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      byte[] body = in.readNBytes(count);
      assertEquals(count, body.length);
      return body;
    }
  }

  @Test
  void everyArtifactAnswersValidatorsHeadAndBadRangesAlike() throws Exception {
    String shard =
        version
            + "/files/"
            + manifest.get("formats").get("parquet").get("files").get(1).get("path").asText();
    for (String path :
        List.of(
            downloadPath("parquet"),
            downloadPath("csv.gz"),
            downloadPath("ndjson.gz"),
            shard,
            version + "/manifest.json",
            version + "/SHA256SUMS")) {
      Reply get = whole(path);
      String etag = get.header("ETag").orElseThrow();
      int n = get.bytes().length;
      for (String[] conditional :
          List.of(
              new String[] {},
              new String[] {"Range", "bytes=5-20"},
              new String[] {"Range", "bytes=-7"},
              new String[] {"Range", "bytes=" + n + "-"},
              new String[] {"If-None-Match", etag})) {
        Reply g = api.get(path, conditional);
        Reply h = api.send("HEAD", path, null, null, conditional);
        assertEquals(g.status(), h.status(), path + " " + List.of(conditional));
        assertEquals(headers(g), headers(h), path + " " + List.of(conditional));
        assertEquals(0, h.bytes().length);
      }
      Reply notModified = api.get(path, "If-None-Match", "\"other\", " + etag);
      assertEquals(304, notModified.status(), path);
      assertEquals(etag, notModified.header("ETag").orElseThrow());
      assertEquals(0, notModified.bytes().length);

      Reply unsatisfiable = api.get(path, "Range", "bytes=" + n + "-");
      assertEquals(416, unsatisfiable.status(), path);
      assertEquals("bytes */" + n, unsatisfiable.header("Content-Range").orElseThrow());

      // If-Range that is not this strong ETag: the whole (new) file, not a range of it.
      for (String ifRange :
          List.of(
              "\"sha256:" + "0".repeat(64) + "\"", "W/" + etag, "Sat, 21 Nov 2026 00:00:00 GMT")) {
        Reply full = api.get(path, "Range", "bytes=0-9", "If-Range", ifRange);
        assertEquals(200, full.status(), path + " If-Range " + ifRange);
        assertArrayEquals(get.bytes(), full.bytes());
      }
      // Several ranges: the whole file (the server may ignore Range).
      Reply several = api.get(path, "Range", "bytes=0-1,4-5");
      assertEquals(200, several.status());
      assertArrayEquals(get.bytes(), several.bytes());
    }
    String sums = api.get(version + "/SHA256SUMS").header("Content-Type").orElseThrow();
    assertEquals("text/plain;charset=utf-8", sums.replace(" ", "").toLowerCase());
  }

  private static Map<String, List<String>> headers(Reply reply) {
    Map<String, List<String>> headers = new TreeMap<>(reply.headers().map());
    headers.remove("date");
    return headers;
  }

  /**
   * parquet-java reads the merged Parquet from the live URL by ranges alone, finding its footer
   * with a suffix range; it runs in a child JVM on the pipelines jar's class path, since Hadoop
   * never belongs on the catalog's.
   */
  @Test
  void aParquetReaderReadsTheMergedFileByRanges() throws Exception {
    Path program = Path.of(DownloadTest.class.getResource("HttpParquetRead.java").toURI());
    Process read =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                CatalogFixture.pipelinesJar().toAbsolutePath().toString(),
                program.toString(),
                "http://127.0.0.1:" + catalog.service().port() + downloadPath("parquet"))
            .redirectErrorStream(true)
            .start();
    String output = new String(read.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(read.waitFor(120, TimeUnit.SECONDS), output);
    assertEquals(0, read.exitValue(), output);
    int shards = manifest.get("formats").get("parquet").get("files").size();
    assertTrue(
        output.contains("rows=" + ROWS + " groups=" + shards + " sum=" + (ROWS * (ROWS + 1L) / 2)),
        output);
    assertTrue(output.lines().anyMatch(l -> l.equals("range bytes=-8")), output);
  }

  @Test
  void unknownDownloadsAreNotFound() {
    for (String name : List.of("items.tsv", "other.csv.gz", "items.parquet.gz", "items")) {
      Reply reply = api.get(version + "/download/" + name);
      assertEquals(404, reply.status(), name);
      assertEquals("application/problem+json", reply.header("Content-Type").orElseThrow());
    }
  }

  /** What a user does: save every file under the name the server gives, then check them. */
  @Test
  void sha256sumAcceptsTheChecksumListAsIs() throws Exception {
    Reply sums = whole(version + "/SHA256SUMS");
    List<String> names = new ArrayList<>();
    for (String line : sums.body().split("\n")) {
      String[] fields = line.split("  ", 2);
      assertEquals(64, fields[0].length(), line);
      names.add(fields[1]);
    }
    assertTrue(
        names.contains("items.csv.gz") && names.contains("items.ndjson.gz"), names.toString());
    assertTrue(names.contains("manifest.json"), names.toString());
    List<String> urls = new ArrayList<>();
    urls.add(version + "/SHA256SUMS");
    urls.add(version + "/manifest.json");
    for (String format : List.of("parquet", "csv.gz", "ndjson.gz")) {
      urls.add(downloadPath(format));
    }
    manifest
        .get("formats")
        .forEach(
            f ->
                f.get("files")
                    .forEach(s -> urls.add(version + "/files/" + s.get("path").asText())));
    for (String url : urls) {
      Reply reply = whole(url);
      String disposition = reply.header("Content-Disposition").orElseThrow();
      String name = disposition.replaceAll(".*filename=\"([^\"]+)\".*", "$1");
      Files.write(saved.resolve(name), reply.bytes());
    }
    Process check =
        new ProcessBuilder("sha256sum", "-c", "SHA256SUMS")
            .directory(saved.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(check.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, check.exitValue(), output);
    assertEquals(names.size(), output.lines().filter(l -> l.endsWith(": OK")).count(), output);
  }

  @Test
  void expiredVersionsAreGoneForEveryArtifact() {
    assertEquals(
        201,
        api.put(
                "/v1/datasets/brief",
                "{\"source\":\"src\",\"table\":\"public.extra\",\"formats\":[\"csv.gz\"],"
                    + "\"default_ttl\":\"PT1S\"}")
            .status());
    Reply built = api.post("/v1/datasets/brief/versions", null, "Prefer", "wait=120");
    assertEquals(201, built.status(), built.toString());
    String brief = built.json().get("url").asText();
    String shard =
        brief
            + "/files/"
            + api.get(brief + "/manifest.json")
                .json()
                .get("formats")
                .get("csv.gz")
                .get("files")
                .get(0)
                .get("path")
                .asText();
    List<String> artifacts =
        List.of(
            brief + "/manifest.json",
            shard,
            brief + "/download/brief.csv.gz",
            brief + "/SHA256SUMS");
    artifacts.forEach(a -> assertEquals(200, api.get(a).status(), a));
    Poll.until(
        "the version to expire",
        Duration.ofSeconds(30),
        () -> {
          catalog.service().sweep();
          return api.get(brief).json().get("status").asText();
        },
        "EXPIRED"::equals);
    for (String a : artifacts) {
      Reply get = api.get(a);
      assertEquals(410, get.status(), a);
      assertEquals(410, api.send("HEAD", a, null, null).status(), a);
      assertFalse(get.header("Cache-Control").orElse("").contains("immutable"), a);
    }
    assertEquals(200, api.get(brief).status(), "the tombstone keeps its metadata");
  }
}
