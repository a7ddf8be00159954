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

  @Test
  void dataflowBuildsAreConfiguredByFlagsAndTheFileAndCheckedAtStartUp() throws Exception {
    assertNull(parse(null).dataflow(java.util.Set.of()), "local builds by default");
    Path config = dir.resolve("dataflow.properties");
    Files.writeString(
        config,
        "launcher = dataflow\ndataflow-project = amber-prod\ndataflow-region = europe-west1\n"
            + "dataflow-template = gs://amber-templates/materialise.json\n"
            + "output = gs://amber-data/datasets\nmax-snapshot-hold = PT2H\n"
            + "source.shop = jdbc:postgresql://db/shop?user=r\n"
            + "source.shop.password-secret = projects/amber-prod/secrets/shop/versions/3\n");
    ServeCommand serve =
        parse(
            config,
            "--config",
            config.toString(),
            "--dataflow-temp-location",
            "gs://amber-temp/tmp");
    org.amber.catalog.build.dataflow.DataflowConfig dataflow =
        serve.dataflow(java.util.Set.of("shop"));
    assertEquals("amber-prod", dataflow.project());
    assertEquals("europe-west1", dataflow.region());
    assertEquals("gs://amber-templates/materialise.json", dataflow.templatePath());
    assertEquals("gs://amber-temp/tmp", dataflow.tempLocation());
    assertNull(dataflow.rootUrl(), "Google's endpoint");
    assertEquals(Duration.ofHours(2), dataflow.maxSnapshotHold());
    assertEquals(Duration.ofSeconds(10), dataflow.pollInterval());
    assertEquals(
        Map.of("shop", "projects/amber-prod/secrets/shop/versions/3"),
        dataflow.sourcePasswordSecrets());
    assertEquals(
        "a password secret is set for source 'shop', which is not configured",
        org.junit.jupiter.api.Assertions.assertThrows(
                CommandLine.ParameterException.class,
                () -> serve.dataflow(java.util.Set.of("demo")))
            .getMessage());

    ServeCommand local = parse(null, "--launcher", "dataflow", "--dataflow-project", "amber-prod");
    assertEquals(
        "--launcher dataflow needs --dataflow-region",
        org.junit.jupiter.api.Assertions.assertThrows(
                CommandLine.ParameterException.class, () -> local.dataflow(java.util.Set.of()))
            .getMessage());
    ServeCommand fileOutput =
        parse(
            null,
            "--launcher=dataflow",
            "--dataflow-project=amber-prod",
            "--dataflow-region=europe-west1",
            "--dataflow-template=gs://amber-templates/materialise.json");
    org.junit.jupiter.api.Assertions.assertTrue(
        org.junit.jupiter.api.Assertions.assertThrows(
                CommandLine.ParameterException.class, () -> fileOutput.dataflow(java.util.Set.of()))
            .getMessage()
            .contains("--output gs://"));
    ServeCommand badSecret =
        parse(
            null,
            "--launcher=dataflow",
            "--dataflow-project=amber-prod",
            "--dataflow-region=europe-west1",
            "--dataflow-template=gs://amber-templates/materialise.json",
            "--output=gs://amber-data/datasets",
            "--source-password-secret",
            "shop=hunter2");
    String refused =
        org.junit.jupiter.api.Assertions.assertThrows(
                CommandLine.ParameterException.class,
                () -> badSecret.dataflow(java.util.Set.of("shop")))
            .getMessage();
    org.junit.jupiter.api.Assertions.assertTrue(
        refused.startsWith("invalid --source-password-secret for 'shop'"), refused);
  }
}
