package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.amber.catalog.testing.ListeningSockets;
import org.amber.catalog.testing.ServiceProcess;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/** {@code amber serve} is reachable from this machine only unless told otherwise. */
class ServeDefaultsIT {
  private static final Duration START = Duration.ofSeconds(60);

  @Test
  void withNoHostItListensOnLoopbackOnly() throws Exception {
    Path root = Files.createTempDirectory("amber-serve-defaults");
    try (ServiceProcess service =
        ServiceProcess.start(
            root.resolve("serve.log"),
            "--port=0",
            "--data-dir=" + root,
            "--catalog-url=" + TestPostgres.freshDatabase("catalog"))) {
      int port = service.awaitListening(START);
      assertEquals("127.0.0.1", service.listeningHost(START));
      List<InetAddress> listening = ListeningSockets.on(port);
      assertFalse(listening.isEmpty(), "the kernel lists the port as listening");
      for (InetAddress address : listening) {
        assertTrue(address.isLoopbackAddress(), "listens on " + address + ", not loopback only");
      }
    }
  }

  @Test
  void demoModeOnAnAddressOthersCanReachIsRefused() throws Exception {
    Path root = Files.createTempDirectory("amber-serve-demo");
    ServiceProcess service =
        ServiceProcess.start(
            root.resolve("serve.log"),
            "--host=0.0.0.0",
            "--port=0",
            "--demo-mode=true",
            "--data-dir=" + root,
            "--catalog-url=" + TestPostgres.freshDatabase("catalog"));
    assertTrue(service.process().waitFor(60, TimeUnit.SECONDS), "it stops by itself");
    assertNotEquals(0, service.process().exitValue());
    String output = service.log();
    assertTrue(
        output
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("amber: demo mode")
                        && l.contains("refused on 0.0.0.0,")
                        && l.contains("not a loopback address")),
        output);
    assertFalse(output.contains("\tat "), "no stack trace: " + output);
    assertFalse(output.contains("catalog listening"), output);
  }
}
