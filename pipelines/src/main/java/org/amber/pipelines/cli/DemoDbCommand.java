package org.amber.pipelines.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.amber.pipelines.demo.DemoSchema;
import org.amber.pipelines.demo.EmbeddedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code amber demo-db}: starts an embedded PostgreSQL with the demo schema, creates a role that
 * can only read it ({@code amber_reader}), prints that role's JDBC URL as one line on stdout (the
 * URL builds and {@code amber serve} should use) and serves until it is stopped (Ctrl-C or
 * SIGTERM).
 */
@Command(
    name = "demo-db",
    mixinStandardHelpOptions = true,
    versionProvider = AmberCli.Version.class,
    description = {
      "Start an embedded PostgreSQL with the demo schema; print the JDBC URL of a role that can"
          + " only read it.",
      "The URL is the one line on stdout; the database serves until Ctrl-C or SIGTERM."
    },
    footer = {
      "",
      "Example:",
      "  amber demo-db --rows 1000000 --port 5433 --data-dir /tmp/amber-demo"
    })
final class DemoDbCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--rows",
      paramLabel = "N",
      description = "Binding assays to generate (compounds: a tenth). Default: ${DEFAULT-VALUE}.")
  long rows = 100_000;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to listen on. Default: any free port (0).")
  int port = 0;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Keep the database here and reuse it on the next start. Default: a throwaway folder.")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    EmbeddedDatabase database =
        EmbeddedDatabase.start(port, dataDir == null ? null : dataDir.toAbsolutePath());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    database.close();
                  } catch (Exception ignored) {
                    // shutting down anyway
                  } finally {
                    stopped.countDown();
                  }
                }));
    System.err.printf("amber: loading the demo schema (%,d binding assays)…%n", rows);
    DemoSchema.load(database.jdbcUrl(), rows);
    DemoSchema.createReader(database.jdbcUrl(), DemoSchema.READER);
    spec.commandLine().getOut().println(database.jdbcUrl(DemoSchema.READER));
    spec.commandLine().getOut().flush();
    System.err.println("amber: demo database ready; stop it with Ctrl-C");
    stopped.await();
    return 0;
  }
}
