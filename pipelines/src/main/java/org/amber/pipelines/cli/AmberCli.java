package org.amber.pipelines.cli;

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
    description = "Freezes the result of a database query into a citable, versioned, content-addressed dataset.",
    subcommands = {MaterialiseCommand.class, VerifyCommand.class, DemoDbCommand.class})
public final class AmberCli implements Runnable {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs one command and returns its exit code; what tests call. */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new AmberCli());
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
      return new String[] {"amber " + org.amber.pipelines.materialise.MaterialisePipeline.version()};
    }
  }
}
