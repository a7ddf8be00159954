package org.amber.catalog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.amber.catalog.testing.Api;
import org.amber.catalog.testing.Api.Reply;
import org.amber.catalog.testing.CatalogFixture;
import org.amber.catalog.testing.Poll;
import org.amber.catalog.testing.Versions;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crafted queries against a catalog whose source role CAN write (it owns the victim table; the
 * operator allowed it with --allow-writable-source), so that nothing but the query check and the
 * read-only sessions stands between a client and the data. Every query is defined over HTTP, built
 * when accepted, and afterwards the victim's rows, the server's catalogs and the other sessions
 * must be exactly as before.
 *
 * <p>Each query is its own test case. To keep the class fast, every query is defined and its build
 * started up front (three build processes at a time); each case then judges its own answer and
 * build, and the source's state once its build has ended.
 */
class HostileQueryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration BUILD = Duration.ofMinutes(2);
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static final Set<String> ENDED = Set.of("COMPLETED", "ERROR", "ABORTED");

  private static CatalogFixture catalog;
  private static Api api;
  private static String superuserUrl;
  private static String owner;
  private static Connection bystander;
  private static Connection otherRoleSession;
  private static Map<String, String> before;

  /** Case name → the answer to its definition, and its version's path when it was built. */
  private static final Map<String, Reply> DEFINED = new LinkedHashMap<>();

  private static final Map<String, String> BUILDS = new LinkedHashMap<>();

  /** What must come of a query. */
  enum Outcome {
    /** 422 problem+json at definition. */
    REFUSED,
    /** Accepted and built: a harmless query. */
    COMPLETED,
    /** Refused, or accepted and its build fails: it must never yield data. */
    NO_DATA,
    /** Either way; only the source's state is judged. */
    ANY
  }

  static Stream<Arguments> corpus() {
    return Stream.of(
        // The reproductions.
        query(
            "issue: -- comment ended by \\r",
            "SELECT 1 AS a --\r) q; COMMIT; START TRANSACTION READ WRITE; INSERT INTO victim VALUES (-1);"
                + " COMMIT; BEGIN; SELECT * FROM (SELECT 1 AS a --\n, 2 AS b",
            Outcome.REFUSED),
        query(
            "issue: €$x$ is an identifier, not a dollar quote",
            "SELECT 1 AS €$x$) q; COMMIT; START TRANSACTION READ WRITE; DELETE FROM victim; COMMIT; BEGIN;"
                + " SELECT * FROM (SELECT 1 AS b, $x$ AS c",
            Outcome.REFUSED),
        query(
            "a Unicode space before $x$",
            "SELECT 1 AS a\u2003$x$; DELETE FROM victim; SELECT $x$ AS b",
            Outcome.REFUSED),
        query(
            "\\r-ended comment then DML",
            "SELECT 1 --\rFROM victim; DELETE FROM victim",
            Outcome.REFUSED),
        query(
            "breaking out of the parentheses",
            "SELECT 1 AS a) q; DELETE FROM victim; SELECT * FROM (SELECT 1",
            Outcome.REFUSED),
        query("several statements", "SELECT 1; DELETE FROM victim", Outcome.REFUSED),
        query("two selects", "SELECT 1 AS a; SELECT 2 AS b", Outcome.REFUSED),
        query(
            "nested comment hiding nothing",
            "SELECT 1 /* a /* b */ still a comment; DELETE FROM victim; */ AS x",
            Outcome.COMPLETED),
        query(
            "nested comment then DML",
            "SELECT 1 /* a /* b */ c */ AS x; DELETE FROM victim",
            Outcome.REFUSED),
        query(
            "dollar quote with an odd tag",
            "SELECT $_a1$;DELETE FROM victim;$_a1$ AS a, $$;$$ AS b",
            Outcome.COMPLETED),
        query(
            "$1$ is a parameter, not a tag",
            "SELECT $1$; DELETE FROM victim; $1$ AS a",
            Outcome.REFUSED),
        query("unterminated dollar quote", "SELECT $x$; DELETE FROM victim", Outcome.REFUSED),
        query("U& identifier", "SELECT 1 AS U&\"d\\0061ta\"", Outcome.COMPLETED),
        query(
            "U& string with a quote in it",
            "SELECT U&'\\0027; DELETE FROM victim; --' AS a",
            Outcome.ANY),
        query(
            "E string with an escaped quote",
            "SELECT E'\\'; DELETE FROM victim; --' AS a",
            Outcome.COMPLETED),
        query(
            "backslash before a quote in a plain string",
            "SELECT 'a\\'; DELETE FROM victim; SELECT '1' AS b",
            Outcome.REFUSED),
        query(
            "semicolons inside quotes",
            "SELECT ';' AS a, ';DELETE FROM victim;' AS b",
            Outcome.COMPLETED),
        query(
            "CTE with DELETE",
            "WITH d AS (DELETE FROM victim RETURNING *) SELECT * FROM d",
            Outcome.REFUSED),
        query(
            "CTE with UPDATE",
            "WITH u AS (UPDATE victim SET v = 'x' RETURNING *) SELECT count(*) FROM u",
            Outcome.REFUSED),
        query("FOR UPDATE", "SELECT * FROM victim FOR UPDATE", Outcome.NO_DATA),
        query("FOR SHARE", "SELECT * FROM victim FOR SHARE", Outcome.NO_DATA),
        query("SELECT INTO", "SELECT * INTO stolen FROM victim", Outcome.REFUSED),
        query("COPY to a file", "COPY victim TO '/tmp/amber-hostile-copy'", Outcome.REFUSED),
        query("COPY in a subquery", "SELECT * FROM (COPY victim TO STDOUT) c", Outcome.REFUSED),
        query("CALL", "CALL wipe()", Outcome.REFUSED),
        query("DO", "DO $$ BEGIN DELETE FROM victim; END $$", Outcome.REFUSED),
        query("PREPARE", "PREPARE p AS DELETE FROM victim", Outcome.REFUSED),
        query("EXPLAIN ANALYZE DELETE", "EXPLAIN ANALYZE DELETE FROM victim", Outcome.REFUSED),
        query("function that inserts", "SELECT * FROM sneaky()", Outcome.NO_DATA),
        query(
            "immutable function that deletes (folded when planned)",
            "SELECT sneaky_immutable() AS a",
            Outcome.NO_DATA),
        query(
            "security definer function that writes",
            "SELECT definer_write() AS a",
            Outcome.NO_DATA),
        query("lo_import", "SELECT lo_import('/etc/passwd') AS oid", Outcome.NO_DATA),
        query("lo_create", "SELECT lo_create(0) AS oid", Outcome.NO_DATA),
        query("lo_from_bytea", "SELECT lo_from_bytea(0, 'x'::bytea) AS oid", Outcome.NO_DATA),
        query("pg_read_file", "SELECT pg_read_file('/etc/passwd') AS f", Outcome.NO_DATA),
        query("pg_ls_dir", "SELECT pg_ls_dir('.') AS f", Outcome.NO_DATA),
        query(
            "set_config read-only off for the session",
            "SELECT set_config('default_transaction_read_only', 'off', false) AS a",
            Outcome.ANY),
        query(
            "set_config read-only off for the transaction",
            "SELECT set_config('transaction_read_only', 'off', true) AS a",
            Outcome.NO_DATA),
        query(
            "pg_terminate_backend of other roles' sessions",
            "SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity WHERE usename <> current_user",
            Outcome.NO_DATA),
        query(
            "pg_cancel_backend of other roles' sessions",
            "SELECT pg_cancel_backend(pid) AS t FROM pg_stat_activity WHERE usename <> current_user",
            Outcome.NO_DATA),
        query("nextval", "SELECT nextval('seq') AS n", Outcome.NO_DATA),
        query("pg_advisory_lock", "SELECT pg_advisory_lock(42) AS l", Outcome.ANY),
        query("txid_current", "SELECT txid_current() AS x", Outcome.ANY),
        query(
            "a replication slot",
            "SELECT * FROM pg_create_physical_replication_slot('amber_hostile')",
            Outcome.NO_DATA),
        query(
            "password hashes by query",
            "SELECT rolname, rolpassword FROM pg_authid",
            Outcome.NO_DATA),
        table("password hashes by table", "pg_catalog.pg_authid", Outcome.NO_DATA),
        query(
            "jsonb ? operator (a JDBC parameter marker)",
            "SELECT '{\"a\":1}'::jsonb ? 'a' AS has",
            Outcome.REFUSED),
        query("JDBC escape", "SELECT {fn ucase('a')} AS u", Outcome.REFUSED),
        query("trailing semicolon then comment", "SELECT 1 AS a; -- done", Outcome.REFUSED),
        // Harmless queries that must still build.
        query(
            "quoted identifiers with ; and $",
            "SELECT 1 AS \"semi;colon\", 2 AS \"dollar$x$sign\"",
            Outcome.COMPLETED),
        query("strings containing --", "SELECT '--' AS dashes, 'a -- b' AS c", Outcome.COMPLETED),
        query(
            "a trailing -- comment",
            "SELECT id, v FROM victim -- the whole table",
            Outcome.COMPLETED),
        query("a trailing semicolon", "SELECT count(*) AS n FROM victim;", Outcome.COMPLETED),
        query(
            "a union",
            "SELECT * FROM victim WHERE id = 1 UNION ALL SELECT * FROM victim WHERE id = 2",
            Outcome.COMPLETED));
  }

  private static Arguments query(String name, String sql, Outcome outcome) {
    return Arguments.of(
        name,
        JSON.createObjectNode().put("source", CatalogFixture.SOURCE).put("query", sql),
        outcome);
  }

  private static Arguments table(String name, String table, Outcome outcome) {
    return Arguments.of(
        name,
        JSON.createObjectNode().put("source", CatalogFixture.SOURCE).put("table", table),
        outcome);
  }

  @BeforeAll
  static void start() throws Exception {
    superuserUrl = TestPostgres.freshDatabase("hostile");
    String database =
        superuserUrl.substring(superuserUrl.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
    owner = database + "_owner";
    String other = database + "_other";
    TestPostgres.execute(
        superuserUrl,
        "DROP ROLE IF EXISTS " + owner,
        "DROP ROLE IF EXISTS " + other,
        "CREATE ROLE " + owner + " LOGIN",
        "CREATE ROLE " + other + " LOGIN",
        "CREATE TABLE victim (id integer PRIMARY KEY, v text)",
        "INSERT INTO victim SELECT g, 'row ' || g FROM generate_series(1, 100) g",
        "ALTER TABLE victim OWNER TO " + owner,
        "CREATE SEQUENCE seq",
        "ALTER SEQUENCE seq OWNER TO " + owner,
        "CREATE FUNCTION sneaky() RETURNS SETOF integer LANGUAGE plpgsql AS"
            + " $$ BEGIN INSERT INTO victim VALUES (-2, 'sneaky'); RETURN NEXT 1; END $$",
        "ALTER FUNCTION sneaky() OWNER TO " + owner,
        "CREATE FUNCTION sneaky_immutable() RETURNS integer IMMUTABLE LANGUAGE plpgsql AS"
            + " $$ BEGIN DELETE FROM victim; RETURN 1; END $$",
        "ALTER FUNCTION sneaky_immutable() OWNER TO " + owner,
        "CREATE FUNCTION definer_write() RETURNS integer SECURITY DEFINER LANGUAGE plpgsql AS"
            + " $$ BEGIN DELETE FROM victim; RETURN 1; END $$",
        "GRANT EXECUTE ON FUNCTION definer_write() TO " + owner,
        "CREATE PROCEDURE wipe() LANGUAGE sql AS $$ DELETE FROM victim $$",
        "ALTER PROCEDURE wipe() OWNER TO " + owner);
    String ownerUrl = asRole(superuserUrl, owner);
    catalog =
        CatalogFixture.start(
            c ->
                c.toBuilder()
                    .sources(Map.of(CatalogFixture.SOURCE, ownerUrl))
                    .allowWritableSources(Set.of(CatalogFixture.SOURCE))
                    .statementTimeout(Duration.ofSeconds(30))
                    .maxConcurrentBuilds(3)
                    .build());
    api = catalog.api();
    bystander = DriverManager.getConnection(superuserUrl);
    otherRoleSession = DriverManager.getConnection(asRole(superuserUrl, other));
    before = state();
    for (Arguments arguments : corpus().toList()) {
      String name = (String) arguments.get()[0];
      String dataset = "hostile-" + NEXT.incrementAndGet();
      Reply defined =
          api.put("/v1/datasets/" + dataset, JSON.writeValueAsString(arguments.get()[1]));
      DEFINED.put(name, defined);
      if (defined.status() == 201) {
        BUILDS.put(
            name,
            api.post("/v1/datasets/" + dataset + "/versions", null)
                .header("Location")
                .orElseThrow());
      }
    }
  }

  @AfterAll
  static void stop() throws SQLException {
    if (catalog != null) {
      catalog.close();
    }
    if (bystander != null) {
      bystander.close();
    }
    if (otherRoleSession != null) {
      otherRoleSession.close();
    }
  }

  private static String asRole(String url, String role) {
    return url.replaceFirst("([?&])user=[^&]*", "$1user=" + role);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void aHostileQueryChangesNothingOnTheSource(String name, ObjectNode body, Outcome outcome)
      throws Exception {
    Reply defined = DEFINED.get(name);
    assertTrue(defined.status() == 201 || defined.status() == 422, name + ": " + defined);
    String ended = null;
    if (defined.status() == 422) {
      assertEquals(
          "application/problem+json",
          defined.header("Content-Type").orElse("").replaceFirst(";.*", ""));
      assertEquals(422, defined.json().get("status").asInt(), defined.toString());
      assertTrue(
          !defined.json().path("detail").asText().isBlank(), "a readable reason: " + defined);
      assertTrue(!defined.body().contains("\tat "), "no stack trace: " + defined);
    } else {
      String location = BUILDS.get(name);
      JsonNode version = api.get(location).json();
      // A long poll on a version that has already ended lasts its whole wait: ask plainly first.
      if (!ENDED.contains(version.get("status").asText())) {
        version = Versions.awaitStatus(api, location, BUILD, ENDED.toArray(String[]::new));
      }
      ended = version.get("status").asText();
      if (outcome == Outcome.COMPLETED) {
        assertEquals("COMPLETED", ended, name + ": " + version);
      }
    }
    switch (outcome) {
      case REFUSED -> assertEquals(422, defined.status(), name + " must be refused: " + defined);
      case COMPLETED -> assertEquals(201, defined.status(), name + " must be accepted: " + defined);
      case NO_DATA -> assertNotEquals("COMPLETED", ended, name + " must not yield data");
      case ANY -> {}
    }
    // Sessions end a moment after a build process exits, and what they held (an advisory lock)
    // goes with them; other builds may still be running. Nothing a query wrote would go away.
    Poll.until(
        "the source's state to be as before " + name,
        Duration.ofSeconds(30),
        HostileQueryIT::stateOrError,
        before::equals);
  }

  private static Map<String, String> stateOrError() {
    try {
      return state();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Everything a hostile query could change, read as the superuser. */
  private static Map<String, String> state() throws SQLException {
    Map<String, String> state = new LinkedHashMap<>();
    try (Connection connection = DriverManager.getConnection(superuserUrl);
        Statement statement = connection.createStatement()) {
      String ownerOid = "(SELECT oid FROM pg_roles WHERE rolname = '" + owner + "')";
      String[][] probes = {
        {
          "victim",
          "SELECT count(*) || ':' || md5(coalesce(string_agg(id || '=' || coalesce(v, '<null>'), ',' ORDER BY id), ''))"
              + " FROM victim"
        },
        {"large objects", "SELECT count(*) FROM pg_largeobject_metadata"},
        {"replication slots", "SELECT count(*) FROM pg_replication_slots"},
        {"owner's functions", "SELECT count(*) FROM pg_proc WHERE proowner = " + ownerOid},
        {"owner's relations", "SELECT count(*) FROM pg_class WHERE relowner = " + ownerOid},
        {"relations", "SELECT count(*) FROM pg_class"},
        {
          "roles",
          "SELECT string_agg(rolname || ':' || rolsuper || rolcanlogin || rolreplication, ',' ORDER BY rolname)"
              + " FROM pg_roles WHERE rolsuper OR rolname LIKE '"
              + owner.replace("_owner", "")
              + "%'"
        },
        {"sequence", "SELECT last_value || ':' || is_called FROM seq"},
        {"advisory locks", "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"},
        {"prepared transactions", "SELECT count(*) FROM pg_prepared_xacts"},
      };
      for (String[] probe : probes) {
        try (ResultSet rs = statement.executeQuery(probe[1])) {
          rs.next();
          state.put(probe[0], rs.getString(1));
        }
      }
    }
    state.put("bystander alive", alive(bystander));
    state.put("other role's session alive", alive(otherRoleSession));
    return state;
  }

  private static String alive(Connection session) {
    try (Statement statement = session.createStatement();
        ResultSet rs = statement.executeQuery("SELECT 1")) {
      rs.next();
      return String.valueOf(rs.getInt(1) == 1);
    } catch (SQLException e) {
      return "dead: " + e.getMessage();
    }
  }
}
