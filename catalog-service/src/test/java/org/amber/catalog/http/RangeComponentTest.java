package org.amber.catalog.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.amber.catalog.artifact.AssembledFile;
import org.amber.catalog.http.RangeRequest.Part;
import org.amber.catalog.http.RangeRequest.Unsatisfiable;
import org.amber.catalog.http.RangeRequest.Whole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The range machinery on its own: {@code Range} parsing, and a file assembled from pieces of stored
 * files read back by range, against a reference byte array, over a random corpus.
 */
class RangeComponentTest {
  @TempDir Path dir;

  @Test
  void parsesSingleRangesAsRfc9110Says() {
    assertEquals(new Whole(), RangeRequest.parse(null, 100));
    assertEquals(new Part(0, 9), RangeRequest.parse("bytes=0-9", 100));
    assertEquals(new Part(90, 99), RangeRequest.parse("bytes=90-", 100));
    assertEquals(new Part(90, 99), RangeRequest.parse("bytes=90-1000", 100));
    assertEquals(new Part(90, 99), RangeRequest.parse("Bytes = 90 - 99 ", 100));
    assertEquals(new Part(92, 99), RangeRequest.parse("bytes=-8", 100));
    assertEquals(new Part(0, 99), RangeRequest.parse("bytes=-1000", 100));
    assertEquals(new Part(5, 99), RangeRequest.parse("bytes=5-99999999999999999999999", 100));
    assertEquals(new Unsatisfiable(), RangeRequest.parse("bytes=100-", 100));
    assertEquals(new Unsatisfiable(), RangeRequest.parse("bytes=100-200", 100));
    assertEquals(new Unsatisfiable(), RangeRequest.parse("bytes=-0", 100));
    assertEquals(new Unsatisfiable(), RangeRequest.parse("bytes=0-", 0));
    assertEquals(new Unsatisfiable(), RangeRequest.parse("bytes=-5", 0));
    assertEquals(new Unsatisfiable(), RangeRequest.parse("bytes=99999999999999999999-", 100));
  }

  @Test
  void ignoresWhatItDoesNotServeAsAsked() {
    for (String header :
        List.of(
            "bytes=0-1,5-6",
            "items=0-9",
            "bytes=9-0",
            "bytes=a-b",
            "bytes=",
            "bytes=-",
            "bytes=5",
            "bytes=--5",
            "bytes=+1-2",
            "0-9")) {
      assertEquals(new Whole(), RangeRequest.parse(header, 100), header);
    }
  }

  @Test
  void ifRangeIsComparedStrongly() {
    String etag = "\"sha256:ab\"";
    assertTrue(ArtifactResponse.ifRangeHolds(null, etag));
    assertTrue(ArtifactResponse.ifRangeHolds(etag, etag));
    assertFalse(ArtifactResponse.ifRangeHolds("W/" + etag, etag));
    assertFalse(ArtifactResponse.ifRangeHolds("\"sha256:cd\"", etag));
    assertFalse(ArtifactResponse.ifRangeHolds("Sat, 21 Nov 2026 12:00:00 GMT", etag));
    assertTrue(ArtifactResponse.noneMatch("\"x\", W/" + etag, etag));
    assertTrue(ArtifactResponse.noneMatch("*", etag));
    assertFalse(ArtifactResponse.noneMatch("\"x\"", etag));
  }

  @Test
  void contentDispositionCarriesAnyNameSafely() {
    assertEquals(
        "attachment; filename=\"items.csv.gz\"", ArtifactResponse.attachment("items.csv.gz"));
    assertEquals(
        "attachment; filename=\"caf_.csv.gz\"; filename*=UTF-8''caf%C3%A9.csv.gz",
        ArtifactResponse.attachment("café.csv.gz"));
    assertEquals(
        "attachment; filename=\"a_b.txt\"; filename*=UTF-8''a%22b.txt",
        ArtifactResponse.attachment("a\"b.txt"));
    assertEquals(
        "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:",
        ArtifactResponse.reprDigest(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  }

  /**
   * Random stored files, random pieces of them (zero-length ones included), random buffer sizes,
   * random Range headers: every answer is the reference array's slice.
   */
  @Test
  void assembledFilesReadByRangeMatchTheirReference() throws Exception {
    Random random = new Random(20261121);
    List<Path> files = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      byte[] content = new byte[random.nextInt(5000)];
      random.nextBytes(content);
      Path file = dir.resolve("stored-" + i);
      Files.write(file, content);
      files.add(file);
      contents.add(content);
    }
    int checked = 0;
    for (int trial = 0; trial < 300; trial++) {
      List<AssembledFile.Part> parts = new ArrayList<>();
      ByteArrayOutputStream reference = new ByteArrayOutputStream();
      int pieces = random.nextInt(6);
      for (int p = 0; p < pieces; p++) {
        int f = random.nextInt(files.size());
        byte[] content = contents.get(f);
        int offset = random.nextInt(content.length + 1);
        int length = random.nextInt(4) == 0 ? 0 : random.nextInt(content.length - offset + 1);
        parts.add(new AssembledFile.Part(files.get(f), offset, length));
        reference.write(content, offset, length);
      }
      AssembledFile file = new AssembledFile(parts);
      byte[] expected = reference.toByteArray();
      assertEquals(expected.length, file.length());
      ByteBuffer buffer =
          random.nextBoolean()
              ? ByteBuffer.allocate(1 + random.nextInt(700))
              : ByteBuffer.allocateDirect(1 + random.nextInt(700));
      for (int r = 0; r < 20; r++) {
        Asked asked = randomRange(random, expected.length);
        RangeRequest range = RangeRequest.parse(asked.header(), expected.length);
        if (asked.first() < 0) {
          assertEquals(new Unsatisfiable(), range, asked.header());
          continue;
        }
        long first = 0;
        long count = expected.length;
        if (range instanceof Part part) {
          first = part.first();
          count = part.length();
        }
        assertEquals(asked.first(), first, asked.header());
        assertEquals(asked.count(), count, asked.header());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        file.copy(first, count, Channels.newChannel(out), buffer);
        byte[] slice = new byte[(int) count];
        System.arraycopy(expected, (int) first, slice, 0, (int) count);
        assertArrayEquals(slice, out.toByteArray(), asked.header() + " of " + parts);
        checked++;
      }
    }
    assertTrue(checked > 4000, "ranges checked: " + checked);
  }

  /** A Range header and the bytes it should select, worked out independently; first -1: 416. */
  private record Asked(String header, long first, long count) {}

  private static Asked randomRange(Random random, int length) {
    int a = random.nextInt(length + 3);
    int b = random.nextInt(length + 3);
    int lo = Math.min(a, b);
    int hi = Math.max(a, b);
    switch (random.nextInt(4)) {
      case 0:
        return lo >= length
            ? new Asked("bytes=" + lo + "-" + hi, -1, 0)
            : new Asked("bytes=" + lo + "-" + hi, lo, Math.min(hi, length - 1) - lo + 1);
      case 1:
        return a >= length
            ? new Asked("bytes=" + a + "-", -1, 0)
            : new Asked("bytes=" + a + "-", a, length - a);
      case 2:
        return a == 0 || length == 0
            ? new Asked("bytes=-" + a, -1, 0)
            : new Asked("bytes=-" + a, Math.max(0, length - a), Math.min(a, length));
      default:
        return new Asked(null, 0, length);
    }
  }

  @Test
  void aStoredFileShorterThanItsPieceFailsTheCopy() throws Exception {
    Path file = dir.resolve("short");
    Files.write(file, new byte[10]);
    AssembledFile assembled = new AssembledFile(List.of(new AssembledFile.Part(file, 5, 20)));
    assertThrows(EOFException.class, () -> assembled.copy(0, 20, sink(), ByteBuffer.allocate(8)));
    assertInstanceOf(
        IndexOutOfBoundsException.class,
        assertThrows(
            RuntimeException.class, () -> assembled.copy(15, 6, sink(), ByteBuffer.allocate(8))));
  }

  private static WritableByteChannel sink() {
    return Channels.newChannel(new ByteArrayOutputStream());
  }
}
