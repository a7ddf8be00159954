package org.amber.catalog.app;

import org.amber.commandline.UsageErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar amber-catalog.jar serve|token …}: what {@code scripts/amber serve|token} runs.
 */
@Command(
    name = "amber",
    mixinStandardHelpOptions = true,
    versionProvider = CatalogCli.JarVersion.class,
    description = "The Amber catalog service.",
    subcommands = {ServeCommand.class, TokenCommand.class},
    footer = {
      "",
      "Each command answers --help. Examples:",
      "  amber serve --source demo='jdbc:postgresql://localhost:5432/demo?user=reader'",
      "  amber token create --scope write"
    })
public final class CatalogCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new CatalogCli());
    try {
      cli.setDefaultValueProvider(new SettingsDefaults(SettingsDefaults.configFile(args)));
    } catch (java.io.UncheckedIOException e) {
      System.err.println("amber: " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
      System.exit(UsageErrors.EXIT_CODE);
    }
    cli.setParameterExceptionHandler(new UsageErrors())
        .setUsageHelpWidth(100)
        .setUsageHelpLongOptionsMaxWidth(30);
    cli.setHelpFactory(new ParamLabels());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          commandLine.getErr().println("amber: " + e.getMessage());
          return 1;
        });
    System.exit(cli.execute(args));
  }

  /** The version Maven wrote into the jar's manifest. */
  static final class JarVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = CatalogCli.class.getPackage().getImplementationVersion();
      return new String[] {"amber catalog " + (version == null ? "(unpackaged)" : version)};
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: serve or token");
  }
}
