package org.amber.commandline;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line picocli could not parse is answered with one line on stderr and exit 2, not with
 * the whole usage text: "unknown option --prot; did you mean --port?".
 */
public final class UsageErrors implements IParameterExceptionHandler {
  public static final int EXIT_CODE = 2;

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command.getErr().println("amber: " + describe(e));
    command.getErr().flush();
    return EXIT_CODE;
  }

  public static String describe(ParameterException e) {
    CommandLine command = e.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    if (e instanceof UnmatchedArgumentException
        && !((UnmatchedArgumentException) e).getUnmatched().isEmpty()) {
      String unmatched = ((UnmatchedArgumentException) e).getUnmatched().get(0);
      if (unmatched.startsWith("-")) {
        String typed = unmatched.replaceFirst("^-+", "").replaceFirst("=.*", "");
        return NearestOption.among(typed, optionNames(command))
            .map(
                n ->
                    "unknown option "
                        + unmatched.replaceFirst("=.*", "")
                        + "; did you mean --"
                        + n
                        + "?")
            .orElse("unknown option " + unmatched + "; " + name + " --help lists the options");
      }
      if (!command.getSubcommands().isEmpty()) {
        return NearestOption.among(unmatched, command.getSubcommands().keySet())
            .map(n -> "unknown command '" + unmatched + "'; did you mean " + n + "?")
            .orElse("unknown command '" + unmatched + "'; " + name + " --help lists the commands");
      }
    }
    String message = e.getMessage() == null ? "invalid arguments" : e.getMessage();
    message = message.replaceAll("\\s*\\R\\s*", " ").strip();
    // Our own messages (KnownOptions) already say where to look; picocli's do not.
    return message.contains("did you mean") || message.contains("--help")
        ? message
        : message + " (" + name + " --help shows the usage)";
  }

  /** The command's long options without their dashes. */
  private static List<String> optionNames(CommandLine command) {
    List<String> names = new ArrayList<>();
    command
        .getCommandSpec()
        .options()
        .forEach(
            o -> {
              for (String n : o.names()) {
                if (n.startsWith("--")) {
                  names.add(n.substring(2));
                }
              }
            });
    return names;
  }
}
