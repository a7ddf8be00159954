package org.amber.catalog.build.dataflow;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Sessions of a build's snapshot coordinator (named after the build) on a source. */
final class CoordinatorSessions {
  private CoordinatorSessions() {}

  /**
   * @param url a URL that sees every session of the source (a superuser's)
   */
  static int count(String url, String buildId) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'amber build "
                    + buildId
                    + "'")) {
      r.next();
      return r.getInt(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
