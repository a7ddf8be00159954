package org.amber.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve} settings: flags over the config file over built-in defaults. */
class ServeSettingsTest {
  @TempDir Path dir;

  private ServeCommand parse(Path config, String... args) {
    ServeCommand serve = new ServeCommand();
    CommandLine cli = new CommandLine(serve);
    cli.setDefaultValueProvider(new SettingsDefaults(config));
    cli.parseArgs(args);
    return serve;
  }

  @Test
  void builtInDefaults() {
    ServeCommand serve = parse(null);
    assertEquals(8080, serve.port);
    assertEquals(Path.of("amber-data"), serve.dataDir);
    assertEquals(2, serve.maxConcurrentBuilds);
    assertEquals(true, serve.publicRead);
    assertNull(serve.demoMode);
    assertNull(serve.catalogUrl);
    assertEquals(Duration.ofHours(1), serve.deletionGrace);
  }

  @Test
  void theConfigFileSetsWhatFlagsDoNot() throws Exception {
    Path config = dir.resolve("catalog.properties");
    Files.writeString(
        config,
        "port = 9090\nmax-concurrent-builds = 4\npublic-read = false\n"
            + "source.demo = jdbc:postgresql://localhost/demo\nsource.shop = jdbc:postgresql://db/shop?user=r\n");
    ServeCommand serve = parse(config, "--config", config.toString(), "--port", "7000");
    assertEquals(7000, serve.port, "a flag beats the file");
    assertEquals(4, serve.maxConcurrentBuilds);
    assertFalse(serve.publicRead);
    assertEquals(
        Map.of(
            "demo", "jdbc:postgresql://localhost/demo", "shop", "jdbc:postgresql://db/shop?user=r"),
        new SettingsDefaults(config).sources());
    assertEquals(config, SettingsDefaults.configFile(new String[] {"serve", "--config=" + config}));
  }

  @Test
  void statementTimeoutsAndWritableSourcesComeFromFlagsAndTheFile() throws Exception {
    assertEquals(Duration.ofHours(2), parse(null).statementTimeout, "the default");
    Path config = dir.resolve("catalog.properties");
    Files.writeString(
        config,
        "statement-timeout = PT10M\nallow-writable-source = shop\n"
            + "source.shop = jdbc:postgresql://db/shop\nsource.shop.statement-timeout = PT30M\n");
    ServeCommand serve =
        parse(
            config,
            "--config",
            config.toString(),
            "--allow-writable-source",
            "demo",
            "--allow-writable-source",
            "lab");
    assertEquals(Duration.ofMinutes(10), serve.statementTimeout);
    assertEquals(
        java.util.Set.of("demo", "lab"), serve.allowWritableSources, "flags beat the file");
    assertEquals(
        Map.of("shop", "jdbc:postgresql://db/shop"),
        new SettingsDefaults(config).sources(),
        "a source's setting is not a source");
    assertEquals(Map.of("shop", "PT30M"), new SettingsDefaults(config).sourceStatementTimeouts());
    assertEquals(
        java.util.Set.of("shop"),
        parse(config, "--config", config.toString()).allowWritableSources);
  }
}
