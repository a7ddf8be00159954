package org.amber.catalog.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Loopback is judged on the resolved address, not on how the host is spelt. */
class ListenAddressTest {
  @Test
  void loopbackAddressesAndNames() {
    assertTrue(ListenAddress.isLoopback("127.0.0.1"));
    assertTrue(ListenAddress.isLoopback("127.3.2.1"));
    assertTrue(ListenAddress.isLoopback("::1"));
    assertTrue(ListenAddress.isLoopback("localhost"));
  }

  @Test
  void wildcardsAndUnknownNamesAreNot() {
    assertFalse(ListenAddress.isLoopback("0.0.0.0"));
    assertFalse(ListenAddress.isLoopback("::"));
    assertFalse(ListenAddress.isLoopback("no-such-host.invalid"));
  }
}
