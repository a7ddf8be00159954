package org.amber.pipelines.cli;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.amber.pipelines.materialise.MaterialiseOptions;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.io.LocalFileSystemRegistrar;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Which Beam option interfaces {@link PipelineOptionsFactory} knows. Its first use registers every
 * interface a {@link PipelineOptionsRegistrar} on the class path names (Dataflow's, GCP's,
 * BigQuery's, …), checking each against all those before it: more CPU than the whole rest of an
 * empty local build. A build on the direct runner that names none of their options needs only
 * {@link MaterialiseOptions} and {@link DirectOptions}, so a process that ends with the build
 * registers just those ({@link #localOnly}).
 *
 * <p>Beam's {@link org.apache.beam.sdk.io.FileSystems} likewise registers the file system of every
 * registrar on the class path each time it meets new options (this process's, then the runner's
 * copy of them). GCS's asks for its options, and from then on every interface Beam views the
 * options as is checked against GCP's too: about 0.1 s of an empty build's main thread. When the
 * output and {@code --compare-with} are local files as well, the build's threads see only Beam
 * core's file systems (local files and the class path).
 *
 * <p>The registry is the JVM's: narrowed, it would refuse other interfaces' options to any later
 * parse in the same JVM. Only {@link AmberCli#main}, whose process exits after the one command,
 * allows narrowing; everything else (tests, {@code --help-beam}, the unknown-option check) gets the
 * full registry from {@link #all}.
 */
final class OptionsRegistry {
  private static final String REGISTRARS =
      "META-INF/services/" + PipelineOptionsRegistrar.class.getName();

  private static final String FILE_SYSTEMS =
      "META-INF/services/" + FileSystemRegistrar.class.getName();

  /** The options naming storage a build reads or writes (camel case, as Beam names them). */
  private static final List<String> STORAGE_OPTIONS = List.of("output", "compareWith");

  private static final List<Class<? extends PipelineOptions>> LOCAL =
      List.of(MaterialiseOptions.class, DirectOptions.class);

  private static boolean narrowingAllowed;
  private static boolean narrowed;

  private OptionsRegistry() {}

  /** Called by a process that exits after its one command. */
  static synchronized void allowNarrowing() {
    narrowingAllowed = true;
  }

  /**
   * Narrows the registry to the local interfaces and returns true if that is allowed and {@code
   * args} (as given: {@code --runner DirectRunner} or {@code --runner=DirectRunner}) name only
   * their options and at most the direct runner; otherwise changes nothing and returns false. If
   * they also name only local files ({@link #onlyLocalFiles}), the calling thread keeps a context
   * class loader that lends only Beam core's file systems.
   */
  static synchronized boolean localOnly(List<String> args) {
    if (!narrowingAllowed || !onlyLocal(args)) {
      return false;
    }
    Thread thread = Thread.currentThread();
    ClassLoader loader = thread.getContextClassLoader();
    ClassLoader parent = loader != null ? loader : OptionsRegistry.class.getClassLoader();
    // Beam finds the registrars through the thread's context class loader when it builds its
    // registry; this one hides them and lends every class from the usual loader.
    thread.setContextClassLoader(new WithoutRegistrars(parent));
    try {
      PipelineOptionsFactory.resetCache();
    } finally {
      thread.setContextClassLoader(loader);
    }
    LOCAL.forEach(PipelineOptionsFactory::register);
    narrowed = true;
    if (onlyLocalFiles(args)) {
      // For the rest of the process: the runner's threads inherit it, and each sets up FileSystems.
      thread.setContextClassLoader(new CoreFileSystemsOnly(parent));
    }
    return true;
  }

  /** The full registry (rebuilt if it was narrowed), with {@link MaterialiseOptions} in it. */
  static synchronized void all() {
    if (narrowed) {
      PipelineOptionsFactory.resetCache();
      narrowed = false;
    }
    PipelineOptionsFactory.register(MaterialiseOptions.class);
  }

  static boolean onlyLocal(List<String> args) {
    Set<String> local = localNames();
    for (Given option : given(args)) {
      if (!local.contains(option.name())) {
        return false;
      }
      if (option.name().equals("runner") && !isDirectRunner(option.value())) {
        return false;
      }
    }
    return true;
  }

  /**
   * True if every value {@code args} give the storage options ({@code --output}, {@code
   * --compare-with}) is a local file: a path or a file: URI. Anything else with a colon might name
   * another file system, and keeps them all.
   */
  static boolean onlyLocalFiles(List<String> args) {
    for (Given option : given(args)) {
      String value = option.value();
      if (STORAGE_OPTIONS.contains(option.name())
          && value.indexOf(':') >= 0
          && !value.regionMatches(true, 0, "file:", 0, 5)) {
        return false;
      }
    }
    return true;
  }

  /** An option as given: its name in camel case, as Beam names it, and the text after it. */
  private record Given(String name, String value) {}

  /**
   * The options {@code args} give, as {@code --name=value} or {@code --name value}: the value of
   * the second form is the next argument, whatever it is (a flag's is not looked at).
   */
  private static List<Given> given(List<String> args) {
    List<Given> given = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        continue;
      }
      int equals = arg.indexOf('=');
      String name =
          BeamArguments.camelCase(equals < 0 ? arg.substring(2) : arg.substring(2, equals));
      String value =
          equals >= 0 ? arg.substring(equals + 1) : i + 1 < args.size() ? args.get(i + 1) : "";
      given.add(new Given(name, value));
    }
    return given;
  }

  /** The names Beam resolves to the direct runner (its registrar's, or the class's own). */
  private static boolean isDirectRunner(String runner) {
    String lower = runner.toLowerCase(Locale.ROOT);
    return lower.equals("direct")
        || lower.equals("directrunner")
        || runner.equals(DirectRunner.class.getName());
  }

  private static Set<String> localNames() {
    Set<String> names = new TreeSet<>();
    for (Class<? extends PipelineOptions> options : LOCAL) {
      for (Method getter : options.getMethods()) {
        KnownOptions.propertyName(getter).ifPresent(names::add);
      }
    }
    KnownOptions.CLI_ONLY.forEach(o -> names.add(BeamArguments.camelCase(o)));
    return names;
  }

  private static final class WithoutRegistrars extends ClassLoader {
    WithoutRegistrars(ClassLoader parent) {
      super(parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      return name.equals(REGISTRARS) ? Collections.emptyEnumeration() : super.getResources(name);
    }
  }

  /**
   * Lends every class and resource from its parent, but only Beam core's file system registrars.
   */
  static final class CoreFileSystemsOnly extends ClassLoader {
    private static final String CORE =
        LocalFileSystemRegistrar.class
            .getProtectionDomain()
            .getCodeSource()
            .getLocation()
            .toString();

    CoreFileSystemsOnly(ClassLoader parent) {
      super(parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      Enumeration<URL> resources = super.getResources(name);
      if (!name.equals(FILE_SYSTEMS)) {
        return resources;
      }
      List<URL> core = new ArrayList<>();
      for (URL url : Collections.list(resources)) {
        if (url.toString().contains(CORE)) {
          core.add(url);
        }
      }
      return Collections.enumeration(core);
    }
  }
}
