package org.amber.catalog.domain;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.amber.transforms.source.SourceRoleCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check of every configured source's role: a role that could write to the source or reach the
 * server's files is refused, unless the operator accepted it for that source.
 *
 * <p>Every source is checked at start-up, and a writable one stops the start. A source that cannot
 * be reached then does not: the catalog also serves what was built before, which must not depend on
 * every source being up. Such a source stays unchecked, and it is checked before its first use (a
 * definition or a build); until that check passes, nothing reads from it.
 */
public final class SourceRoles {
  private static final Logger LOG = LoggerFactory.getLogger(SourceRoles.class);

  private final Set<String> allowWritable;
  private final Set<String> unchecked = ConcurrentHashMap.newKeySet();
  private final List<String> warnings;

  private SourceRoles(Set<String> allowWritable, Set<String> unchecked, List<String> warnings) {
    this.allowWritable = Set.copyOf(allowWritable);
    this.unchecked.addAll(unchecked);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * @param allowWritable sources whose writable role the operator accepted
   * @throws IllegalStateException naming the source, its role, what it may do and what to use
   *     instead, for the first source refused
   */
  public static SourceRoles checkAtStartUp(SourceRegistry sources, Set<String> allowWritable) {
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
    Set<String> unchecked = ConcurrentHashMap.newKeySet();
    for (String name : sources.names()) {
      SourceRegistry.Source source = sources.find(name).orElseThrow();
      if (!source.isPostgres()) {
        warnings.add(
            "source '"
                + name
                + "' is not PostgreSQL: its role was not checked; make sure it can only read");
        continue;
      }
      try {
        refuseUnlessReadOnly(source, allowWritable).ifPresent(warnings::add);
      } catch (SQLException e) {
        if (allowWritable.contains(name)) {
          // The operator accepted whatever role it has: a later check could refuse nothing.
          warnings.add(
              "source '"
                  + name
                  + "' could not be reached, so its role was not checked (allowed by"
                  + " --allow-writable-source "
                  + name
                  + "): "
                  + e.getMessage());
          continue;
        }
        unchecked.add(name);
        warnings.add(
            "source '"
                + name
                + "' could not be reached, so its role was not checked; it is checked before"
                + " its first use: "
                + e.getMessage());
      }
    }
    return new SourceRoles(allowWritable, unchecked, warnings);
  }

  /** What {@code /readyz} and the start-up log tell operators. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * Before a source is read from: a source that could not be checked at start-up is checked now.
   *
   * @throws IllegalStateException when it still cannot be reached, or its role could write
   */
  public void requireChecked(SourceRegistry.Source source) {
    if (!unchecked.contains(source.name())) {
      return;
    }
    try {
      refuseUnlessReadOnly(source, allowWritable).ifPresent(w -> LOG.warn("{}", w));
      unchecked.remove(source.name());
      LOG.info("source '{}' checked: its role can only read", source.name());
    } catch (SQLException e) {
      LOG.warn("cannot check the role of source '{}': {}", source.name(), e.getMessage());
      throw new IllegalStateException(
          "source '"
              + source.name()
              + "' could not be reached to check its role; nothing is read from it until it can"
              + " be; try again later");
    }
  }

  /**
   * @return a warning when the role could write but the operator accepted that
   * @throws IllegalStateException when the role could write and the operator did not accept it
   */
  private static java.util.Optional<String> refuseUnlessReadOnly(
      SourceRegistry.Source source, Set<String> allowWritable) throws SQLException {
    String name = source.name();
    SourceRoleCheck.Report report = SourceRoleCheck.inspect(source.jdbcSource());
    if (report.isReadOnly()) {
      return java.util.Optional.empty();
    }
    String what =
        "source '"
            + name
            + "' connects as role '"
            + report.role()
            + "', which "
            + String.join("; ", report.powers());
    if (allowWritable.contains(name)) {
      return java.util.Optional.of(what + " (allowed by --allow-writable-source " + name + ")");
    }
    throw new IllegalStateException(
        what
            + ". Amber only reads, and clients send the queries: give it a role that can only"
            + " read, e.g. "
            + SourceRoleCheck.RECIPE
            + " Or accept the risk for this source with --allow-writable-source "
            + name
            + ".");
  }
}
