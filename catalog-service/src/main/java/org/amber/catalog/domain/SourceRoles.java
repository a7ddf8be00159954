package org.amber.catalog.domain;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.amber.transforms.source.SourceRoleCheck;

/**
 * The start-up check of every configured source's role: a role that could write to the source or
 * reach the server's files is refused, unless the operator accepted it for that source.
 */
public final class SourceRoles {
  private SourceRoles() {}

  /**
   * @param allowWritable sources whose writable role the operator accepted
   * @return warnings to show at start-up and on {@code /readyz}
   * @throws IllegalStateException naming the source, its role, what it may do and what to use
   *     instead, for the first source refused
   */
  public static List<String> check(SourceRegistry sources, Set<String> allowWritable) {
    for (String name : allowWritable) {
      if (sources.find(name).isEmpty()) {
        throw new IllegalStateException(
            "--allow-writable-source names '"
                + name
                + "', which is not a configured source "
                + sources.names());
      }
    }
    List<String> warnings = new ArrayList<>();
    for (String name : sources.names()) {
      SourceRegistry.Source source = sources.find(name).orElseThrow();
      if (!source.isPostgres()) {
        warnings.add(
            "source '"
                + name
                + "' is not PostgreSQL: its role was not checked; make sure it can only read");
        continue;
      }
      SourceRoleCheck.Report report;
      try {
        report = SourceRoleCheck.inspect(source.jdbcSource());
      } catch (SQLException e) {
        // Unchecked is treated as writable: refused, unless the operator accepted that anyway.
        if (allowWritable.contains(name)) {
          warnings.add(
              "source '"
                  + name
                  + "' could not be reached, so its role was not checked: "
                  + e.getMessage());
          continue;
        }
        throw new IllegalStateException(
            "cannot check the role of source '"
                + name
                + "' (start once it can be reached, or accept an"
                + " unchecked role with --allow-writable-source "
                + name
                + "): "
                + e.getMessage(),
            e);
      }
      if (report.isReadOnly()) {
        continue;
      }
      String what =
          "source '"
              + name
              + "' connects as role '"
              + report.role()
              + "', which "
              + String.join("; ", report.powers());
      if (allowWritable.contains(name)) {
        warnings.add(what + " (allowed by --allow-writable-source " + name + ")");
      } else {
        throw new IllegalStateException(
            what
                + ". Amber only reads, and clients send the queries: give it a role that can only"
                + " read, e.g. "
                + SourceRoleCheck.RECIPE
                + " Or accept the risk for this source with"
                + " --allow-writable-source "
                + name
                + ".");
      }
    }
    return List.copyOf(warnings);
  }
}
