package org.amber.pipelines.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.amber.testsupport.TestPostgres;

/**
 * A read-only role that can log in only with its password. The test server trusts every local
 * connection, so this puts a {@code scram-sha-256} line for the role first in its {@code
 * pg_hba.conf} and reloads it: a build that connects without the password is refused.
 */
public final class PasswordRole {
  private PasswordRole() {}

  /**
   * A fresh database named {@code database} with a table {@code item} of 1000 rows, and {@code
   * role} that reads it with {@code password}; returns the database's URL as that role.
   */
  public static String itemsSource(String database, String role, String password) throws Exception {
    String url = TestPostgres.freshDatabase(database);
    TestPostgres.execute(
        url,
        "CREATE TABLE item (id int PRIMARY KEY, name text)",
        "INSERT INTO item SELECT g, 'item ' || g FROM generate_series(1, 1000) g");
    return create(url, role, password);
  }

  /**
   * {@code amber materialise} of {@link #itemsSource}'s table as {@code roleUrl}, in four
   * partitions, its output and logs under {@code out} named {@code name}, with no password in its
   * environment: the caller says where the password comes from.
   */
  public static ProcessBuilder itemsBuild(Path out, String roleUrl, String name, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "materialise",
                "--source",
                roleUrl,
                "--table",
                "item",
                "--dataset",
                "items",
                "--partitions",
                "4",
                "--output",
                out.resolve(name).toUri().toString(),
                "--progress",
                "none"));
    args.addAll(List.of(more));
    ProcessBuilder builder =
        AmberProcess.amber(
            out.resolve(name + ".out"), out.resolve(name + ".err"), args.toArray(String[]::new));
    builder.environment().remove("AMBER_SOURCE_PASSWORD");
    return builder;
  }

  /**
   * Creates {@code role} with {@code password} on the database {@code url} (a superuser URL) names;
   * returns the database's URL as that role, without the password.
   */
  public static String create(String url, String role, String password) throws Exception {
    TestPostgres.execute(
        url,
        "DROP ROLE IF EXISTS " + role,
        "SET password_encryption = 'scram-sha-256'",
        "CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'",
        "GRANT pg_read_all_data TO " + role);
    Path hba;
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SHOW hba_file")) {
      rs.next();
      hba = Path.of(rs.getString(1));
    }
    if (!Files.isWritable(hba)) {
      throw new IllegalStateException(
          "these tests need a server whose pg_hba.conf they can edit; " + hba + " is not writable");
    }
    String rules =
        "host all "
            + role
            + " 127.0.0.1/32 scram-sha-256\n"
            + "host all "
            + role
            + " ::1/128 scram-sha-256\n";
    Files.writeString(hba, rules + Files.readString(hba));
    TestPostgres.execute(url, "SELECT pg_reload_conf()");
    String roleUrl = url.replaceFirst("([?&])user=[^&]*", "$1user=" + role);
    awaitPasswordRequired(roleUrl);
    return roleUrl;
  }

  /** The server reloads its configuration on a signal: wait until it asks for the password. */
  private static void awaitPasswordRequired(String roleUrl) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (Instant.now().isBefore(deadline)) {
      try (Connection stillTrusted = DriverManager.getConnection(roleUrl)) {
        stillTrusted.isValid(1);
      } catch (SQLException refused) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the server still lets " + roleUrl + " in without a password");
  }
}
