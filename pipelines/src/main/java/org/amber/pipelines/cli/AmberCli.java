package org.amber.pipelines.cli;

import org.amber.commandline.UsageErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code amber}: the command line for people and scripts. {@code scripts/amber} runs it from the
 * packaged jar.
 */
@Command(
    name = "amber",
    mixinStandardHelpOptions = true,
    versionProvider = AmberCli.Version.class,
    description =
        "Freezes the result of a database query into a citable, versioned, content-addressed dataset.",
    subcommands = {
      MaterialiseCommand.class,
      VerifyCommand.class,
      DiffCommand.class,
      DemoDbCommand.class
    },
    footer = {
      "Catalog commands (run from the catalog jar by scripts/amber):",
      "  serve                     Start the catalog service (HTTP API and pages).",
      "  token                     Create API tokens for the catalog service.",
      "",
      "Each command answers --help. Examples:",
      "  amber demo-db --rows 10000",
      "  amber materialise --source 'jdbc:postgresql://localhost:5432/shop?user=reader' \\",
      "      --table public.orders --dataset orders",
      "  amber verify amber-data/orders/<address>/manifest.json",
      "  amber diff amber-data/orders/<old>/manifest.json amber-data/orders/<new>/manifest.json",
      "  amber serve --port 8080"
    })
public final class AmberCli implements Runnable {
  /** As wide as materialise --help, which lays out its own text (OptionsHelp). */
  static final int HELP_WIDTH = 100;

  public static void main(String[] args) {
    OptionsRegistry.allowNarrowing();
    System.exit(execute(args));
  }

  /** Runs one command with the process's stdout and stderr and returns its exit code. */
  public static int execute(String... args) {
    return execute(
        new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs one command writing to {@code out} and {@code err}; what tests call. */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new AmberCli()).setOut(out).setErr(err);
    commandLine.setParameterExceptionHandler(new UsageErrors()).setUsageHelpWidth(HELP_WIDTH);
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("amber: " + ErrorReport.describe(e));
          return 1;
        });
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.err);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "amber " + org.amber.pipelines.materialise.MaterialisePipeline.version()
      };
    }
  }
}
