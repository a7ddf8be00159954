package org.amber.transforms.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipMemberTest {
  private static byte[] members(String... texts) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String text : texts) {
      GzipMember member = new GzipMember(out, 6);
      member.write(text.getBytes(StandardCharsets.UTF_8));
      member.finish();
    }
    return out.toByteArray();
  }

  @Test
  void concatenatedMembersReadAsOneStreamAndTheHeaderIsFixed() throws Exception {
    byte[] gz = members("id,name\n", "1,a\n2,b\n");
    String text =
        new String(
            new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(),
            StandardCharsets.UTF_8);
    assertEquals("id,name\n1,a\n2,b\n", text);
    assertArrayEquals(
        new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff},
        Arrays.copyOf(gz, 10),
        "mtime 0, OS unknown");
    assertArrayEquals(gz, members("id,name\n", "1,a\n2,b\n"), "same bytes in, same bytes out");
  }

  @Test
  void dropingTheFirstMemberOfLaterShardsConcatenatesCsv() throws Exception {
    byte[] header = members("h\n");
    byte[] first = members("h\n", "1\n");
    byte[] second = members("h\n", "2\n");
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    joined.write(first);
    joined.write(second, header.length, second.length - header.length);
    assertEquals(
        "h\n1\n2\n",
        new String(
            new GZIPInputStream(new ByteArrayInputStream(joined.toByteArray())).readAllBytes(),
            StandardCharsets.UTF_8));
  }
}
