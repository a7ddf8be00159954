package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.amber.catalog.build.FakePipelineJar;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Poll;
import org.amber.catalog.testing.ServiceProcess;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * 200 clients download a version of 1 GiB at once from the packaged service in its own JVM with a
 * 256 MB heap, while API calls keep answering. One client reads the whole GiB as fast as it can and
 * checks it against {@code Repr-Digest}; the other 199 read at {@value #CLIENT_BYTES_PER_SECOND}
 * bytes/s each, as clients behind real networks do (199 loopback readers at full speed would only
 * measure how two shared cores are split between 400 busy threads, the test's own included), until
 * all 200 stream and the API has been called, then vanish mid-file. Meanwhile downloads that never
 * read fill the remaining slots, and one more is refused with 503. Afterwards the service holds no
 * more file descriptors than before.
 */
class ManyLargeDownloadsIT {
  private static final int CLIENTS = 200;
  private static final int SHARDS = 8;
  private static final long SHARD_BYTES = 128L << 20;
  private static final long STARTED_AT = 1L << 20;

  /** Bodies the service sends at once (docs/http-api.md). */
  private static final int MAX_DOWNLOADS = 256;

  private static final long CLIENT_BYTES_PER_SECOND = 1L << 20;

  /**
   * Each API call, answered while 200 downloads stream. The API has threads of its own, so a call
   * never waits for a download to end; but it shares the CPU with them and with whatever else the
   * machine runs (a shared 2-core CI box measured 2-15 s at a load average of 150), so the bound is
   * on starvation, not on speed.
   */
  private static final Duration API_BOUND = Duration.ofSeconds(30);

  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  @Test
  void twoHundredDownloadsOfAGigabyteDoNotStarveTheApiNorItsHeap() throws Exception {
    Path root = Files.createTempDirectory("amber-many-downloads");
    try {
      run(root);
    } finally {
      // A GiB left behind by every run would fill the disk.
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void run(Path root) throws Exception {
    Path jar = FakePipelineJar.create(root.resolve("fake-pipelines.jar"));
    String sourceUrl = TestPostgres.freshDatabase("source");
    try (Connection c = DriverManager.getConnection(sourceUrl);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA fake");
      s.execute("CREATE TABLE fake.large (blob text)");
    }
    try (ServiceProcess service =
        ServiceProcess.start(
            root.resolve("serve.log"),
            Map.of(
                "AMBER_FAKE_SHARDS",
                String.valueOf(SHARDS),
                "AMBER_FAKE_SHARD_BYTES",
                String.valueOf(SHARD_BYTES)),
            "--port=0",
            "--data-dir=" + root,
            "--catalog-url=" + TestPostgres.freshDatabase("catalog"),
            "--demo-mode=true",
            "--source",
            "src=" + TestPostgres.readerUrl(sourceUrl),
            "--pipelines-jar=" + jar)) {
      int port = service.awaitListening(Duration.ofSeconds(60));
      Api api = new Api(port, null);
      assertEquals(
          201,
          api.put(
                  "/v1/datasets/large",
                  "{\"source\":\"src\",\"table\":\"fake.large\",\"formats\":[\"ndjson.gz\"]}")
              .status());
      Api.Reply built = api.post("/v1/datasets/large/versions", null, "Prefer", "wait=120");
      assertEquals(201, built.status(), built.toString());
      assertEquals("COMPLETED", built.json().get("status").asText(), built.toString());
      String path = built.json().get("url").asText() + "/download/large.ndjson.gz";
      Api.Reply head = api.send("HEAD", path, null, null);
      assertEquals(String.valueOf(SHARDS * SHARD_BYTES), head.header("Content-Length").get());
      String reprDigest = head.header("Repr-Digest").orElseThrow();
      // One download first, so that whatever the first one loads for good is in the baseline.
      assertEquals(206, api.get(path, "Range", "bytes=0-1023").status());
      long pid = service.process().pid();
      int baselineFds = openFiles(pid);

      CountDownLatch streaming = new CountDownLatch(CLIENTS);
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<String>> downloads = new ArrayList<>();
      long started = System.nanoTime();
      for (int i = 0; i < CLIENTS; i++) {
        boolean whole = i == 0;
        downloads.add(clients.submit(() -> download(port, path, whole, streaming, stop)));
      }
      try {
        assertTrue(streaming.await(90, TimeUnit.SECONDS), "every client got its first MiB");
        long allStreaming = Duration.ofNanos(System.nanoTime() - started).toMillis();
        // All 200 downloads hold a server thread now and stream as fast as they can.
        List<Long> apiMillis = callApi(api, built.json().get("url").asText());
        long heapKb = heapUsedKb(pid);
        // Downloads that never read take the remaining slots: one more is refused, not queued,
        // and the API still answers.
        List<Socket> holders = new ArrayList<>();
        try {
          for (int i = 0; i < MAX_DOWNLOADS - (CLIENTS - 1); i++) {
            holders.add(request(port, path));
          }
          Api.Reply refused =
              Poll.until(
                  "a download beyond " + MAX_DOWNLOADS + " to be refused",
                  Duration.ofSeconds(30),
                  () -> api.get(path, "Range", "bytes=0-0"),
                  r -> r.status() == 503);
          assertEquals("5", refused.header("Retry-After").orElseThrow());
          assertEquals(200, api.get("/v1/datasets/large").status());
        } finally {
          for (Socket holder : holders) {
            holder.close();
          }
        }
        stop.set(true);
        List<String> digests = new ArrayList<>();
        for (Future<String> d : downloads) {
          digests.add(d.get(110, TimeUnit.SECONDS));
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertEquals(reprDigest, digests.get(0), "the whole GiB is the file Repr-Digest names");
        long maxApi = apiMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf(
            Locale.ROOT,
            "%d downloads streaming after %d ms; API calls meanwhile %s ms; heap used %d KB;"
                + " whole GiB read in %d s; load average %s%n",
            CLIENTS,
            allStreaming,
            apiMillis,
            heapKb,
            seconds,
            Files.readString(Path.of("/proc/loadavg")).trim());
        assertTrue(maxApi < API_BOUND.toMillis(), "API answered within " + API_BOUND);
        assertTrue(heapKb < 256 * 1024, "heap " + heapKb + " KB");
      } finally {
        stop.set(true);
        clients.shutdownNow();
      }
      assertTrue(service.process().isAlive(), service.log());
      assertFalse(service.log().contains("OutOfMemoryError"), service.log());
      // The vanished clients' sockets and file handles are all released.
      int after =
          Poll.until(
              "file descriptors back to " + baselineFds,
              Duration.ofSeconds(30),
              () -> openFiles(pid),
              n -> n <= baselineFds);
      assertTrue(after <= baselineFds);
    }
  }

  /** Ten API calls of several kinds; their latencies. */
  private static List<Long> callApi(Api api, String version) {
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String path =
          List.of("/healthz", "/v1/datasets", version, version + "/manifest.json").get(i % 4);
      long t = System.nanoTime();
      Api.Reply reply = api.get(path);
      millis.add(Duration.ofNanos(System.nanoTime() - t).toMillis());
      assertEquals(200, reply.status(), path + ": " + reply);
    }
    return millis;
  }

  /**
   * Streams the answer until {@code stop} (counting down {@code streaming} once it has its first
   * MiB) and drops the connection, or reads it whole; returns the {@code Repr-Digest} form of what
   * it read when it read it all.
   */
  private static String download(
      int port, String path, boolean whole, CountDownLatch streaming, AtomicBoolean stop)
      throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    try (Socket socket = request(port, path)) {
      InputStream in = socket.getInputStream();
      long length = contentLength(in);
      byte[] buffer = new byte[64 * 1024];
      long read = 0;
      long begun = System.nanoTime();
      boolean counted = false;
      while (read < length && (whole || !stop.get())) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - read));
        if (n < 0) {
          throw new IOException("the answer ended at " + read + " of " + length);
        }
        sha256.update(buffer, 0, n);
        read += n;
        if (!counted && read >= STARTED_AT) {
          streaming.countDown();
          counted = true;
        }
        if (!whole) {
          // A bandwidth, not a wait for something: ahead of its rate, the client reads no faster.
          long due = read * 1_000 / CLIENT_BYTES_PER_SECOND;
          long elapsed = (System.nanoTime() - begun) / 1_000_000;
          if (due > elapsed) {
            Thread.sleep(due - elapsed);
          }
        }
      }
      assertTrue(counted, "stopped before its first MiB");
      return read == length
          ? "sha-256=:" + Base64.getEncoder().encodeToString(sha256.digest()) + ":"
          : "partial";
    }
  }

  /** A socket that has sent {@code GET path}; its answer is the caller's to read, or not. */
  private static Socket request(int port, String path) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(60_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return socket;
  }

  private static long contentLength(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the answer ended in its headers: " + head);
      }
      head.append((char) b);
    }
    assertTrue(head.toString().startsWith("HTTP/1.1 200"), head.toString());
    Matcher m = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
    assertTrue(m.find(), head.toString());
    return Long.parseLong(m.group(1));
  }

  private static int openFiles(long pid) {
    try (var fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return (int) fds.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The service's used Java heap, as {@code jcmd GC.heap_info} reports it. */
  private static long heapUsedKb(long pid) throws Exception {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid),
                "GC.heap_info")
            .redirectErrorStream(true)
            .start();
    String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(jcmd.waitFor(30, TimeUnit.SECONDS));
    Matcher m = HEAP_USED.matcher(output);
    assertTrue(m.find(), output);
    return Long.parseLong(m.group(1));
  }
}
