package org.amber.catalog.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar amber-catalog.jar serve|token …}: what {@code scripts/amber serve|token} runs. */
@Command(
    name = "amber",
    mixinStandardHelpOptions = true,
    description = "The Amber catalog service.",
    subcommands = {ServeCommand.class, TokenCommand.class})
public final class CatalogCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new CatalogCli());
    cli.setDefaultValueProvider(new SettingsDefaults(SettingsDefaults.configFile(args)));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          commandLine.getErr().println("amber: " + e.getMessage());
          return 1;
        });
    System.exit(cli.execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: serve or token");
  }
}
