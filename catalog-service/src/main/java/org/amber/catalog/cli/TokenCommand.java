package org.amber.catalog.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.amber.catalog.auth.TokenService;
import org.amber.catalog.model.Scope;
import org.amber.catalog.store.CatalogDatabase;
import org.amber.catalog.store.PostgresCatalogStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code amber token create --scope read|write|admin}: prints a new token once. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    versionProvider = CatalogCli.JarVersion.class,
    description = "Manages API tokens.",
    subcommands = {TokenCommand.Create.class},
    footer = {"", "Example:", "  amber token create --scope write --data-dir amber-data"})
final class TokenCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a command: create");
  }

  /** Creates one token in the catalog the service uses. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      versionProvider = CatalogCli.JarVersion.class,
      description = {
        "Creates a bearer token and prints it once; only its hash is stored.",
        "Uses the same catalog as `serve` with the same --data-dir / --catalog-url, whether or"
            + " not the service is running."
      },
      footer = {
        "",
        "Examples:",
        "  amber token create --scope read",
        "  AMBER_CATALOG_PASSWORD=… amber token create --scope admin \\",
        "      --catalog-url 'jdbc:postgresql://db:5432/catalog?user=amber'"
      })
  static final class Create implements Callable<Integer> {
    /** Flyway holds one connection for its lock while it checks the schema on another. */
    private static final int MIGRATION_CONNECTIONS = 2;

    @Option(names = "--scope", paramLabel = "read|write|admin", required = true, description = "What the token may do: read, write or admin. Required.")
    String scope;

    @Option(names = "--data-dir", defaultValue = "amber-data", description = "As for serve (default: ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--catalog-url", description = "As for serve. Default: the embedded catalog in --data-dir.")
    String catalogUrl;

    @Option(names = "--config", paramLabel = "FILE", description = "As for serve. Default: none (or AMBER_CONFIG).")
    Path config;

    @Override
    public Integer call() throws IOException {
      Scope parsed = Scope.fromKey(scope);
      try (CatalogDatabase database = open()) {
        String token =
            new TokenService(new PostgresCatalogStore(database.dataSource()), java.time.Clock.systemUTC())
                .create(parsed);
        System.out.println(token);
      }
      return 0;
    }

    /**
     * The catalog database: external, the embedded one a running service has open (found by
     * its {@code postmaster.pid}), or the embedded one started just for this.
     */
    private CatalogDatabase open() throws IOException {
      if (catalogUrl != null) {
        return CatalogDatabase.external(catalogUrl, System.getenv("AMBER_CATALOG_PASSWORD"), MIGRATION_CONNECTIONS);
      }
      Path catalogDir = dataDir.toAbsolutePath().resolve("catalog");
      Path pidFile = catalogDir.resolve("postmaster.pid");
      if (Files.exists(pidFile)) {
        List<String> lines = Files.readAllLines(pidFile);
        long pid = Long.parseLong(lines.get(0).trim());
        if (lines.size() > 3 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          String port = lines.get(3).trim();
          return CatalogDatabase.external(
              "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres", null, MIGRATION_CONNECTIONS);
        }
      }
      return CatalogDatabase.embedded(catalogDir, MIGRATION_CONNECTIONS);
    }
  }
}
