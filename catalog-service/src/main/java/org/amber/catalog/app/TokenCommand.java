package org.amber.catalog.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import org.amber.catalog.domain.TokenService;
import org.amber.catalog.domain.model.Scope;
import org.amber.catalog.store.CatalogDatabase;
import org.amber.catalog.store.CatalogStore.StoredToken;
import org.amber.catalog.store.PostgresCatalogStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code amber token create|list|revoke}: manages bearer tokens in the catalog database the service
 * uses, whether or not the service is running. A revoke counts at the service's next request, since
 * it looks every token up in that database.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    versionProvider = CatalogCli.JarVersion.class,
    description = "Manages API tokens.",
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class
    },
    footer = {
      "",
      "Examples:",
      "  amber token create --scope write --name nightly-loader",
      "  amber token list",
      "  amber token revoke 3f2a9c0d1e4b5a69"
    })
final class TokenCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a command: create, list or revoke");
  }

  /** Which catalog: the same options, with the same meaning, as {@code serve}'s. */
  static final class CatalogOptions {
    /** Flyway holds one connection for its lock while it checks the schema on another. */
    private static final int MIGRATION_CONNECTIONS = 2;

    @Option(
        names = "--data-dir",
        defaultValue = "amber-data",
        description = "As for serve (default: ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
        names = "--catalog-url",
        description = "As for serve. Default: the embedded catalog in --data-dir.")
    String catalogUrl;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "As for serve. Default: none (or AMBER_CONFIG).")
    Path config;

    /** The tokens of the catalog database this names; close the database after use. */
    TokenService tokens(CatalogDatabase database) {
      return new TokenService(new PostgresCatalogStore(database.dataSource()), Clock.systemUTC());
    }

    /**
     * The catalog database: external, the embedded one a running service has open (found by its
     * {@code postmaster.pid}), or the embedded one started just for this.
     */
    CatalogDatabase open() throws IOException {
      if (catalogUrl != null) {
        return CatalogDatabase.external(
            catalogUrl, System.getenv("AMBER_CATALOG_PASSWORD"), MIGRATION_CONNECTIONS);
      }
      Path data = dataDir.toAbsolutePath();
      return CatalogDatabase.embeddedOrRunning(
          data.resolve(".catalog"), data.resolve("catalog"), MIGRATION_CONNECTIONS);
    }
  }

  /** Creates one token and prints its secret, once. */
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
    @Option(
        names = "--scope",
        paramLabel = "read|write|admin",
        required = true,
        description = "What the token may do: read, write or admin. Required.")
    String scope;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "What the token is for, shown by `token list`. Default: none.")
    String name;

    @Mixin CatalogOptions catalog;

    @Override
    public Integer call() throws IOException {
      Scope parsed = Scope.fromKey(scope);
      try (CatalogDatabase database = catalog.open()) {
        System.out.println(catalog.tokens(database).create(parsed, name).secret());
      }
      return 0;
    }
  }

  /** Lists live tokens: never their secrets. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      versionProvider = CatalogCli.JarVersion.class,
      description =
          "Lists the tokens that work: id, name, scope, created, last used (to the minute).")
  static final class ListTokens implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON document, for scripts.")
    boolean json;

    @Mixin CatalogOptions catalog;

    @Override
    public Integer call() throws IOException {
      List<StoredToken> tokens;
      try (CatalogDatabase database = catalog.open()) {
        tokens = catalog.tokens(database).list();
      }
      System.out.print(json ? json(tokens) : table(tokens));
      return 0;
    }

    private static String json(List<StoredToken> tokens) throws IOException {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      ArrayNode items = root.putArray("tokens");
      for (StoredToken t : tokens) {
        items
            .addObject()
            .put("id", t.id())
            .put("name", t.name())
            .put("scope", t.scope().key())
            .put("created_at", time(t.createdAt()))
            .put("last_used_at", time(t.lastUsedAt()));
      }
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root)
          + System.lineSeparator();
    }

    private static String table(List<StoredToken> tokens) {
      if (tokens.isEmpty()) {
        return "no tokens; create one with: amber token create --scope read|write|admin"
            + System.lineSeparator();
      }
      String format = "%-16s  %-6s  %-20s  %-20s  %s%n";
      StringBuilder out =
          new StringBuilder(String.format(format, "ID", "SCOPE", "CREATED", "LAST USED", "NAME"));
      for (StoredToken t : tokens) {
        String lastUsed = t.lastUsedAt() == null ? "never" : time(t.lastUsedAt());
        out.append(
            String.format(
                format,
                t.id(),
                t.scope().key(),
                time(t.createdAt()),
                lastUsed,
                t.name() == null ? "" : t.name()));
      }
      return out.toString();
    }

    private static String time(Instant instant) {
      return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
  }

  /** Revokes one token; it stops working at once, also in a running service. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      versionProvider = CatalogCli.JarVersion.class,
      description = "Revokes a token by its id (from `token list`); it stops working at once.")
  static final class Revoke implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The token's id, as `token list` shows it.")
    String id;

    @Mixin CatalogOptions catalog;

    @Override
    public Integer call() throws IOException {
      boolean revoked;
      try (CatalogDatabase database = catalog.open()) {
        revoked = catalog.tokens(database).revoke(id);
      }
      if (!revoked) {
        System.err.println("amber: no live token with id '" + id + "' (see: amber token list)");
        return 1;
      }
      System.out.println("revoked " + id);
      return 0;
    }
  }
}
