package org.amber.catalog.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** What a {@code --host} value means for who can reach the service. */
public final class ListenAddress {
  private ListenAddress() {}

  /**
   * Whether every address {@code host} resolves to is a loopback one ({@code localhost}, {@code
   * 127.x}, {@code ::1}); judged on the resolved addresses, not the spelling, so that a name that
   * points elsewhere, or the wildcard {@code 0.0.0.0}, is never taken for this machine only. A name
   * that does not resolve is not loopback.
   */
  public static boolean isLoopback(String host) {
    try {
      InetAddress[] addresses = InetAddress.getAllByName(host);
      return addresses.length > 0
          && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
