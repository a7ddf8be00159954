package org.amber.catalog.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import org.amber.catalog.artifact.Body;
import org.amber.catalog.artifact.DirectDownload;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP semantics of every artifact answer, in one place for every kind of file: validators ({@code
 * ETag}, {@code If-None-Match} → 304), single byte ranges with {@code If-Range} (→ 206 or 416),
 * {@code Repr-Digest}, {@code Content-Disposition}, and a body streamed through one fixed buffer —
 * or, for a file the storage serves itself (one object in Cloud Storage), a redirect to it.
 *
 * <p>The body is written straight to the servlet stream, past Javalin's compression: artifacts are
 * sent as stored ({@code .gz} files are {@code application/gzip}, not a {@code Content-Encoding}),
 * so lengths, ranges and digests are those of the file a user saves.
 */
final class ArtifactResponse {
  /** Versioned URLs name content that never changes. */
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /**
   * Per download, off the heap: file reads and socket writes go through it with no JDK copy in
   * between. From a cold page cache, 512 KiB reads kept a 1 GiB download near the disk's pace where
   * 128 KiB ones fell to half of it (catalog-service/bench/downloads.sh); 256 downloads still hold
   * only 128 MiB, within the direct memory a 256 MB heap allows by default.
   */
  static final int BUFFER_BYTES = 512 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(ArtifactResponse.class);

  /** A file to serve: its bytes, their SHA-256 (hex), its media type and the name to save it as. */
  record Representation(Body body, String sha256, String contentType, String fileName) {}

  private final Semaphore downloads;
  private final int maxDownloads;

  /** Buffers of finished downloads, reused: never more than {@code maxDownloads} exist. */
  private final Queue<ByteBuffer> buffers = new ConcurrentLinkedQueue<>();

  /**
   * @param maxDownloads bodies streamed at once; beyond that a GET is answered 503 with {@code
   *     Retry-After}, so downloads never take the threads API calls need
   */
  ArtifactResponse(int maxDownloads) {
    this.maxDownloads = maxDownloads;
    this.downloads = new Semaphore(maxDownloads);
  }

  /** Bodies being streamed now. */
  int activeDownloads() {
    return maxDownloads - downloads.availablePermits();
  }

  void send(Context ctx, Representation r) {
    String etag = "\"sha256:" + r.sha256() + "\"";
    long length = r.body().length();
    ctx.header("Accept-Ranges", "bytes");
    if (noneMatch(ctx.header("If-None-Match"), etag)) {
      ctx.header("ETag", etag);
      ctx.header("Cache-Control", IMMUTABLE);
      ctx.status(304);
      return;
    }
    if (r.body() instanceof DirectDownload direct) {
      redirect(ctx, r, direct);
      return;
    }
    RangeRequest range =
        ifRangeHolds(ctx.header("If-Range"), etag)
            ? RangeRequest.parse(ctx.header("Range"), length)
            : new RangeRequest.Whole();
    if (range instanceof RangeRequest.Unsatisfiable) {
      ctx.header("Content-Range", "bytes */" + length);
      Problems.send(
          ctx,
          416,
          Problems.body(
              416,
              "Range not satisfiable",
              "the range asks for bytes outside this file of " + length + " bytes"));
      return;
    }
    long first = 0;
    long count = length;
    int status = 200;
    if (range instanceof RangeRequest.Part part) {
      first = part.first();
      count = part.length();
      status = 206;
    }
    boolean body = ctx.method() != HandlerType.HEAD && count > 0;
    if (body && !downloads.tryAcquire()) {
      ctx.header("Retry-After", "5");
      throw new HttpProblem(
          503, "Service unavailable", "too many downloads at once; retry in a few seconds");
    }
    try {
      ctx.header("ETag", etag);
      ctx.header("Cache-Control", IMMUTABLE);
      ctx.header("Repr-Digest", reprDigest(r.sha256()));
      ctx.header("Content-Disposition", attachment(r.fileName()));
      if (range instanceof RangeRequest.Part part) {
        ctx.header("Content-Range", "bytes " + part.first() + "-" + part.last() + "/" + length);
      }
      ctx.status(status);
      ctx.contentType(r.contentType());
      ctx.res().setContentLengthLong(count);
      if (body) {
        stream(ctx, r, first, count);
      }
    } finally {
      if (body) {
        downloads.release();
      }
    }
  }

  /**
   * 302 to a signed URL of the storage, signed for this request's method, answering with the same
   * name and media type as a streamed answer would. The URL expires, so the redirect is never
   * stored; ranges and validators are the storage's to answer from there.
   */
  private static void redirect(Context ctx, Representation r, DirectDownload direct) {
    String method = ctx.method() == HandlerType.HEAD ? "HEAD" : "GET";
    ctx.header(
        "Location", direct.signedUrl(method, attachment(r.fileName()), r.contentType()).toString());
    ctx.header("Cache-Control", "no-store");
    ctx.status(302);
  }

  private void stream(Context ctx, Representation r, long first, long count) {
    ByteBuffer buffer = buffers.poll();
    if (buffer == null) {
      buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    }
    try {
      ServletOutputStream out = ctx.res().getOutputStream();
      WritableByteChannel channel =
          out instanceof HttpOutput jetty ? new ServletChannel(jetty) : Channels.newChannel(out);
      r.body().copy(first, count, channel, buffer);
      out.flush();
    } catch (IOException e) {
      // The client went away (or a stored file is damaged): the answer is cut short, which Jetty
      // turns into a closed connection since fewer bytes than Content-Length were sent; the
      // buffer and file handles are already released.
      LOG.debug("{} {}: download ended early: {}", ctx.method(), ctx.path(), e.toString());
    } finally {
      buffers.offer(buffer);
    }
  }

  /** Jetty's output as a channel: it writes a direct buffer to the socket as it is. */
  private record ServletChannel(HttpOutput out) implements WritableByteChannel {
    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = src.remaining();
      out.write(src);
      return n - src.remaining();
    }

    @Override
    public boolean isOpen() {
      return !out.isClosed();
    }

    @Override
    public void close() {
      // The response is Jetty's to complete.
    }
  }

  /** {@code If-None-Match}: weak comparison, {@code *} or a list (RFC 9110 §13.1.2). */
  static boolean noneMatch(String header, String etag) {
    if (header == null) {
      return false;
    }
    for (String candidate : header.split(",")) {
      String c = candidate.trim();
      if (c.equals("*") || opaque(c).equals(opaque(etag))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code If-Range}: the range is served only if the client's validator is this strong ETag; a
   * date or a weak or other tag means the client's copy may differ, so it gets the whole file.
   */
  static boolean ifRangeHolds(String header, String etag) {
    return header == null || header.trim().equals(etag);
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  /** RFC 9530: the digest of the whole representation, also on 206. */
  static String reprDigest(String sha256Hex) {
    return "sha-256=:"
        + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex))
        + ":";
  }

  /**
   * RFC 6266: the name as a quoted ASCII string, plus an RFC 8187 {@code filename*} when the name
   * has characters a quoted string cannot carry faithfully.
   */
  static String attachment(String fileName) {
    StringBuilder ascii = new StringBuilder();
    boolean plain = true;
    for (char c : fileName.toCharArray()) {
      boolean safe = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%';
      ascii.append(safe ? c : '_');
      plain &= safe;
    }
    String header = "attachment; filename=\"" + ascii + "\"";
    if (!plain) {
      header +=
          "; filename*=UTF-8''"
              + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    }
    return header;
  }
}
