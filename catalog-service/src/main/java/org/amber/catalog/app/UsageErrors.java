package org.amber.catalog.app;

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
final class UsageErrors implements IParameterExceptionHandler {
  static final int EXIT_CODE = 2;

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command.getErr().println("amber: " + describe(e));
    command.getErr().flush();
    return EXIT_CODE;
  }

  static String describe(ParameterException e) {
    CommandLine command = e.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    if (e instanceof UnmatchedArgumentException
        && !((UnmatchedArgumentException) e).getUnmatched().isEmpty()) {
      String unmatched = ((UnmatchedArgumentException) e).getUnmatched().get(0);
      if (unmatched.startsWith("-")) {
        String option = unmatched.replaceFirst("=.*", "");
        return NearestOption.among(option.replaceFirst("^-+", ""), optionNames(command))
            .map(n -> "unknown option " + option + "; did you mean --" + n + "?")
            .orElse("unknown option " + option + "; " + name + " --help lists the options");
      }
      if (!command.getSubcommands().isEmpty()) {
        return NearestOption.among(unmatched, command.getSubcommands().keySet())
            .map(n -> "unknown command '" + unmatched + "'; did you mean " + n + "?")
            .orElse("unknown command '" + unmatched + "'; " + name + " --help lists the commands");
      }
    }
    String message = e.getMessage() == null ? "invalid arguments" : e.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ").strip()
        + " ("
        + name
        + " --help shows the usage)";
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
