package org.amber.pipelines.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The demo schema: a {@code compound} table and a {@code binding_assay} table joined to it, with
 * the mix of types real archives hold (numeric, float, text with quotes and line breaks, arrays,
 * jsonb, uuid, dates and timestamps, NULLs). Rows are generated from their ids, so every load of
 * the same size holds the same data.
 */
public final class DemoSchema {
  /** The role that can only read the demo database: what builds and the catalog should use. */
  public static final String READER = "amber_reader";

  private DemoSchema() {}

  /**
   * Creates a login role that can read every table and write none ({@code pg_read_all_data}),
   * unless it exists (a kept data directory); the embedded server trusts local logins.
   */
  public static void createReader(String jdbcUrl, String role) throws SQLException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl);
        Statement statement = connection.createStatement()) {
      try (ResultSet rs =
          statement.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "'")) {
        rs.next();
        if (rs.getLong(1) == 0) {
          statement.execute("CREATE ROLE " + role + " LOGIN");
        }
      }
      statement.execute("GRANT pg_read_all_data TO " + role);
    }
  }

  /** Creates and fills the tables unless they already exist; returns the number of assays. */
  public static long load(String jdbcUrl, long assays) throws SQLException {
    long compounds = Math.max(1_000, assays / 10);
    try (Connection connection = DriverManager.getConnection(jdbcUrl);
        Statement statement = connection.createStatement()) {
      try (ResultSet rs =
          statement.executeQuery("SELECT to_regclass('public.binding_assay') IS NOT NULL")) {
        rs.next();
        if (rs.getBoolean(1)) {
          try (ResultSet count = statement.executeQuery("SELECT count(*) FROM binding_assay")) {
            count.next();
            return count.getLong(1);
          }
        }
      }
      connection.setAutoCommit(false); // a failed load leaves nothing half-made behind
      statement.execute(
          "CREATE TABLE compound ("
              + " id bigint PRIMARY KEY,"
              + " name text NOT NULL,"
              + " smiles text NOT NULL,"
              + " inchikey char(27) NOT NULL,"
              + " molecular_weight numeric(10,4),"
              + " logp double precision,"
              + " heavy_atoms integer,"
              + " synonyms text[],"
              + " properties jsonb,"
              + " registered_at timestamptz NOT NULL,"
              + " approved boolean,"
              + " external_id uuid)");
      statement.execute(
          "INSERT INTO compound SELECT g,"
              + " 'compound-' || g,"
              + " (ARRAY['CCO','c1ccccc1O','CC(=O)Oc1ccccc1C(=O)O','CN1CCC[C@H]1c2cccnc2','O=C(O)CCc1ccccc1'])[1 + g % 5],"
              + " upper(substr(md5(g::text), 1, 14) || '-' || substr(md5(g::text), 15, 10) || '-N'),"
              + " round((100 + (g * 7919 % 90000) / 100.0)::numeric, 4),"
              + " CASE WHEN g % 23 = 0 THEN NULL ELSE (g * 31 % 1000) / 100.0 - 3 END,"
              + " 5 + g % 60,"
              + " ARRAY['syn-' || g, 'alt-' || (g % 97)],"
              + " jsonb_build_object('source', 'demo', 'batch', g % 10, 'tags', jsonb_build_array('a', g % 3)),"
              + " timestamptz '2020-01-01 00:00:00+00' + g * interval '37 minutes',"
              + " CASE WHEN g % 19 = 0 THEN NULL ELSE g % 3 <> 0 END,"
              + " md5('c' || g)::uuid"
              + " FROM generate_series(1::bigint, "
              + compounds
              + ") g");
      statement.execute(
          "CREATE TABLE binding_assay ("
              + " id bigint PRIMARY KEY,"
              + " compound_id bigint NOT NULL REFERENCES compound (id),"
              + " target text NOT NULL,"
              + " assay_type text NOT NULL,"
              + " affinity_nm double precision,"
              + " pchembl numeric(4,2),"
              + " measured_on date NOT NULL,"
              + " recorded_at timestamp NOT NULL,"
              + " notes text)");
      statement.execute(
          "INSERT INTO binding_assay SELECT g,"
              + " 1 + (g * 2654435761) % "
              + compounds
              + ","
              + " (ARRAY['EGFR','BRAF','JAK2','CDK4','HER2','ALK','KRAS','PI3K'])[1 + g % 8],"
              + " (ARRAY['IC50','Ki','Kd','EC50'])[1 + g % 4],"
              + " CASE WHEN g % 17 = 0 THEN NULL ELSE power(10, (g % 500) / 100.0) END,"
              + " CASE WHEN g % 17 = 0 THEN NULL ELSE round((4 + (g % 600) / 100.0)::numeric, 2) END,"
              + " date '2015-01-01' + (g % 3000)::int,"
              + " timestamp '2015-01-01 00:00:00' + g * interval '13 seconds',"
              + " CASE WHEN g % 5 = 0 THEN 'replicate, \"outlier\" checked'"
              + " WHEN g % 11 = 0 THEN E'two\\nlines' END"
              + " FROM generate_series(1::bigint, "
              + assays
              + ") g");
      connection.commit();
      connection.setAutoCommit(true);
      // Vacuumed, not only analysed: otherwise the first reads of the new rows write every page
      // again (hint bits) while autovacuum freezes them. scripts/bench times builds right after
      // loading: in one run, 20M rows to Parquet took 2.11x COPY on the fresh table, 1.78x
      // vacuumed.
      statement.execute("VACUUM (FREEZE, ANALYZE) compound");
      statement.execute("VACUUM (FREEZE, ANALYZE) binding_assay");
      return assays;
    }
  }
}
