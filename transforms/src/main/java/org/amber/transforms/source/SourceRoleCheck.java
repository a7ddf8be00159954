package org.amber.transforms.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a PostgreSQL source's role may do beyond reading: the powers that let a query that slips
 * past every other check write to the source or reach the server's files and programs.
 *
 * <pre>{@code
 * SourceRoleCheck.Report report = SourceRoleCheck.inspect(connection);
 * if (!report.isReadOnly()) { … report.role() may report.powers() … }
 * }</pre>
 */
public final class SourceRoleCheck {
  /** What to use instead, for messages. */
  public static final String RECIPE =
      "CREATE ROLE amber_reader LOGIN PASSWORD '…'; GRANT pg_read_all_data TO amber_reader;"
          + " (before PostgreSQL 14, per schema: GRANT USAGE ON SCHEMA s TO amber_reader;"
          + " GRANT SELECT ON ALL TABLES IN SCHEMA s TO amber_reader;)";

  private static final int TABLES_NAMED = 5;
  private static final List<String> FILE_ROLES =
      List.of("pg_read_server_files", "pg_write_server_files", "pg_execute_server_program");

  /**
   * @param role the role the source's sessions run as
   * @param powers what it may do beyond reading, in words; empty when it is read-only
   */
  public record Report(String role, List<String> powers) {
    public boolean isReadOnly() {
      return powers.isEmpty();
    }
  }

  private SourceRoleCheck() {}

  public static Report inspect(Connection connection) throws SQLException {
    List<String> powers = new ArrayList<>();
    String role;
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT current_user::text, rolsuper, rolreplication, rolbypassrls"
                    + " FROM pg_roles WHERE rolname = current_user");
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      role = rs.getString(1);
      if (rs.getBoolean(2)) {
        powers.add("is a superuser");
      }
      if (rs.getBoolean(3)) {
        powers.add("has REPLICATION");
      }
      if (rs.getBoolean(4)) {
        powers.add("has BYPASSRLS");
      }
    }
    for (String fileRole : FILE_ROLES) {
      // to_regrole: the role may not exist on an old server; then nobody is a member of it.
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT to_regrole(?) IS NOT NULL AND pg_has_role(current_user, to_regrole(?)::oid, 'MEMBER')")) {
        statement.setString(1, fileRole);
        statement.setString(2, fileRole);
        try (ResultSet rs = statement.executeQuery()) {
          rs.next();
          if (rs.getBoolean(1)) {
            powers.add("is a member of " + fileRole);
          }
        }
      }
    }
    // has_table_privilege counts ownership, grants to PUBLIC and to roles it belongs to, and
    // pg_write_all_data. The system schemas are left out: everyone may UPDATE pg_settings (that
    // is SET, which a session may do anyway).
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT format('%I.%I', n.nspname, c.relname), count(*) OVER ()"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT LIKE 'pg\\_toast%'"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND (has_table_privilege(c.oid, 'INSERT') OR has_table_privilege(c.oid, 'UPDATE')"
                    + " OR has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE'))"
                    + " ORDER BY 1 LIMIT "
                    + TABLES_NAMED);
        ResultSet rs = statement.executeQuery()) {
      List<String> tables = new ArrayList<>();
      long total = 0;
      while (rs.next()) {
        tables.add(rs.getString(1));
        total = rs.getLong(2);
      }
      if (total > 0) {
        powers.add(
            "may INSERT, UPDATE, DELETE or TRUNCATE "
                + total
                + " table(s) ("
                + String.join(", ", tables)
                + (total > tables.size() ? ", …" : "")
                + ")");
      }
    }
    return new Report(role, List.copyOf(powers));
  }

  /** Connects to a PostgreSQL source and inspects its role. */
  public static Report inspect(JdbcSource source) throws SQLException {
    try (Connection connection = source.connect()) {
      try {
        return inspect(connection);
      } finally {
        connection.rollback();
      }
    }
  }
}
