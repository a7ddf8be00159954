package org.amber.catalog.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.IParamLabelRenderer;
import picocli.CommandLine.IHelpFactory;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Value labels in {@code --help} said in words ({@code --port=N}, {@code
 * --deletion-grace=DURATION}, {@code --public-read=true|false}) instead of picocli's default, the
 * Java field's name ({@code --maxConcurrentBuilds=<maxConcurrentBuilds>}). An option that names its
 * own label keeps it.
 */
final class ParamLabels implements IHelpFactory {
  @Override
  public Help create(CommandSpec command, ColorScheme colors) {
    return new Help(command, colors) {
      @Override
      public IParamLabelRenderer parameterLabelRenderer() {
        IParamLabelRenderer standard = super.parameterLabelRenderer();
        return new IParamLabelRenderer() {
          @Override
          public Ansi.Text renderParameterLabel(ArgSpec arg, Ansi ansi, List<Ansi.IStyle> styles) {
            if (arg instanceof OptionSpec && isFieldName(arg.paramLabel())) {
              OptionSpec option = (OptionSpec) arg;
              return standard.renderParameterLabel(
                  option.toBuilder().paramLabel(label(option)).build(), ansi, styles);
            }
            return standard.renderParameterLabel(arg, ansi, styles);
          }

          @Override
          public String separator() {
            return standard.separator();
          }
        };
      }
    };
  }

  private static boolean isFieldName(String label) {
    return label.startsWith("<") && label.endsWith(">");
  }

  static String label(OptionSpec option) {
    Class<?> type = option.type();
    String name = option.longestName().replaceFirst("^-+", "");
    if (type == boolean.class || type == Boolean.class) {
      return "true|false";
    }
    if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
      return "N";
    }
    if (type == Duration.class) {
      return "DURATION";
    }
    if (type == Path.class) {
      return name.endsWith("dir") ? "DIR" : "FILE";
    }
    return name.equals("output")
        ? "URI"
        : name.substring(name.lastIndexOf('-') + 1).toUpperCase(Locale.ROOT);
  }
}
