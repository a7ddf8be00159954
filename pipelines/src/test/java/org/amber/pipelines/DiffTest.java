package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code amber diff} on two real builds of one PostgreSQL table, changed in between by inserts,
 * deletes, updates and a column type change, and built with different partition plans.
 */
class DiffTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path out;

  private Path build(String url, String... args) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of("--source", url, "--dataset", "items", "--output", out.toUri().toString()));
    all.addAll(List.of(args));
    Amber.Result result = Amber.materialise(all.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result.stderr());
    return result.manifestPath();
  }

  @Test
  void countsExactlyWhatChangedAcrossDifferentPlansNullKeysAndARetypedColumn() throws Exception {
    String url = TestPostgres.freshDatabase("diff");
    // k is the partition column: unique, but NULL for every 100th row
    TestPostgres.execute(
        url,
        "CREATE TABLE item (id int PRIMARY KEY, k int UNIQUE, name text, qty int)",
        "INSERT INTO item SELECT g, CASE WHEN g % 100 = 0 THEN NULL ELSE g END, 'item ' || g, g % 7"
            + " FROM generate_series(1, 3000) g");
    Path v1 = build(url, "--table", "item", "--partition-column", "k", "--partitions", "3");
    JsonNode plan1 = JSON.readTree(Files.readAllBytes(v1)).get("partitioning");
    assertEquals(3, plan1.get("shards").asInt());

    TestPostgres.execute(
        url,
        // added: 5 keys and 2 rows with a NULL key
        "INSERT INTO item SELECT g, g, 'new ' || g, 1 FROM generate_series(5001, 5005) g",
        "INSERT INTO item VALUES (9001, NULL, 'null a', 1), (9002, NULL, 'null b', 2)",
        // removed: 3 keys and 1 NULL-key row
        "DELETE FROM item WHERE k IN (10, 1501, 2999) OR id = 100",
        // changed: 4 names and 2 quantities
        "UPDATE item SET name = 'renamed' WHERE k IN (1, 1001, 2001, 2998)",
        "UPDATE item SET qty = 100 WHERE k IN (7, 2501)",
        // a NULL-key row that changes cannot be matched: one removed, one added
        "UPDATE item SET name = 'renamed' WHERE id = 200",
        // every qty keeps its text: a schema change, not a row change
        "ALTER TABLE item ALTER COLUMN qty TYPE bigint");
    Path v2 = build(url, "--table", "item", "--partition-column", "k", "--partitions", "5");
    assertEquals(
        5, JSON.readTree(Files.readAllBytes(v2)).get("partitioning").get("shards").asInt());

    Amber.Result text = Amber.run("diff", v1.toString(), v2.toString());
    assertEquals(0, text.exitCode(), text.stderr());
    assertEquals(
        List.of(
            "key: k",
            "added: 8",
            "removed: 5",
            "changed: 6",
            "columns retyped: qty (int32 -> int64)"),
        text.stdout().strip().lines().toList());

    Path rows = out.resolve("changed.parquet");
    Amber.Result json =
        Amber.run(
            "diff", v1.toUri().toString(), v2.toString(), "--json", "--rows", rows.toString());
    assertEquals(0, json.exitCode(), json.stderr());
    JsonNode result = JSON.readTree(json.stdout());
    assertEquals(8, result.get("added").asLong());
    assertEquals(5, result.get("removed").asLong());
    assertEquals(6, result.get("changed").asLong());
    assertEquals("qty", result.at("/schema_changes/columns_retyped/0/name").asText());

    TreeSet<String> expected = new TreeSet<>();
    for (int k = 5001; k <= 5005; k++) {
      expected.add("added " + k);
    }
    for (int k : List.of(10, 1501, 2999)) {
      expected.add("removed " + k);
    }
    for (int k : List.of(1, 1001, 2001, 2998, 7, 2501)) {
      expected.add("changed " + k);
    }
    List<String> found = new ArrayList<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement();
        ResultSet rs =
            statement.executeQuery("SELECT change, k FROM read_parquet('" + rows + "')")) {
      while (rs.next()) {
        found.add(rs.getString(1) + " " + rs.getString(2));
      }
    }
    assertEquals(19, found.size(), found.toString());
    assertEquals(3, found.stream().filter("added null"::equals).count(), found.toString());
    assertEquals(2, found.stream().filter("removed null"::equals).count(), found.toString());
    found.removeIf(line -> line.endsWith(" null"));
    assertEquals(expected, new TreeSet<>(found));
  }

  @Test
  void aBuildComparedWithAnEarlierVersionRecordsItsChangesAndNeverFailsForThem() throws Exception {
    String url = TestPostgres.freshDatabase("diffcompare");
    TestPostgres.execute(
        url,
        "CREATE TABLE item (id int PRIMARY KEY, name text)",
        "INSERT INTO item SELECT g, 'item ' || g FROM generate_series(1, 500) g");
    Path v1 = build(url, "--table", "item", "--partitions", "2");
    String v1Digest = JSON.readTree(Files.readAllBytes(v1)).get("content_digest").asText();
    TestPostgres.execute(
        url,
        "DELETE FROM item WHERE id <= 3",
        "UPDATE item SET name = 'x' WHERE id BETWEEN 10 AND 14",
        "INSERT INTO item VALUES (1000, 'new')");

    List<String> args =
        List.of(
            "--source",
            url,
            "--dataset",
            "items",
            "--output",
            out.toUri().toString(),
            "--table",
            "item",
            "--partitions",
            "3",
            "--compare-with",
            v1.toUri().toString());
    Amber.Result compared = Amber.materialise(args.toArray(String[]::new));
    assertEquals(0, compared.exitCode(), compared.stderr());
    JsonNode changes = compared.summary().get("changes");
    assertEquals(
        JSON.readTree(
            "{\"compared_with\":\""
                + v1Digest
                + "\",\"available\":true,\"key\":\"id\",\"added\":1,\"removed\":3,\"changed\":5}"),
        changes);
    Path record = Path.of(java.net.URI.create(compared.summary().get("build").asText()));
    assertEquals(changes, JSON.readTree(Files.readAllBytes(record)).get("changes"));

    // the same content again: nothing changed, without a merge
    List<String> again = new ArrayList<>(args);
    again.set(again.size() - 1, compared.manifestPath().toUri().toString());
    Amber.Result same = Amber.materialise(again.toArray(String[]::new));
    assertEquals(0, same.exitCode(), same.stderr());
    assertEquals(0, same.summary().at("/changes/added").asLong(-1));
    assertEquals(0, same.summary().at("/changes/changed").asLong(-1));

    List<String> lost = new ArrayList<>(args);
    lost.set(lost.size() - 1, out.resolve("gone/manifest.json").toUri().toString());
    Amber.Result unavailable = Amber.materialise(lost.toArray(String[]::new));
    assertEquals(0, unavailable.exitCode(), unavailable.stderr());
    JsonNode reason = unavailable.summary().get("changes");
    assertFalse(reason.get("available").asBoolean(), reason.toString());
    assertTrue(
        reason.get("reason").asText().startsWith("the versions could not be read: no manifest at"),
        reason.toString());
  }

  @Test
  void sayOnOneLineWhyItCannotCount() throws Exception {
    String url = TestPostgres.freshDatabase("diffnokey");
    TestPostgres.execute(
        url,
        "CREATE TABLE loose (a int, b text)",
        "INSERT INTO loose SELECT g, 'x' FROM generate_series(1, 10) g");
    Path keyless = build(url, "--table", "loose");
    Path rows = out.resolve("never.parquet");
    Amber.Result noKey =
        Amber.run("diff", keyless.toString(), keyless.toString(), "--rows", rows.toString());
    assertEquals(1, noKey.exitCode());
    assertEquals(
        "amber: changes unavailable: the old version has no key: it was built as one partition"
            + " without a partition column or single-column primary key",
        noKey.stderr().strip());
    assertFalse(Files.exists(rows), "no changed-keys file is left behind");

    Amber.Result missing =
        Amber.run("diff", out.resolve("nope/manifest.json").toString(), keyless.toString());
    assertEquals(1, missing.exitCode());
    assertEquals(1, missing.stderr().strip().lines().count(), missing.stderr());
    assertTrue(missing.stderr().startsWith("amber: no manifest at file:"), missing.stderr());

    Amber.Result usage = Amber.run("diff", keyless.toString());
    assertEquals(2, usage.exitCode());
    assertEquals(1, usage.stderr().strip().lines().count(), usage.stderr());
  }
}
