package org.amber.catalog.http.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
  @Test
  void sizesReadAsPeopleReadThem() {
    assertEquals("0 B", ByteSize.human(0));
    assertEquals("1023 B", ByteSize.human(1023));
    assertEquals("1.0 KiB", ByteSize.human(1024));
    assertEquals("1.5 KiB", ByteSize.human(1536));
    assertEquals("12 MiB", ByteSize.human(12L * 1024 * 1024 + 1));
    assertEquals("2.0 GiB", ByteSize.human(2L << 30));
    assertEquals("8.0 EiB", ByteSize.human(Long.MAX_VALUE));
  }
}
