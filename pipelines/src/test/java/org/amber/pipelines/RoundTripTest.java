package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.amber.pipelines.testing.Amber;
import org.amber.testsupport.TestPostgres;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every PostgreSQL type artifacts.md names, through every format and back: Parquet read by DuckDB
 * (an independent implementation), CSV by commons-csv, NDJSON by Jackson, each value compared with
 * what PostgreSQL itself says the row holds.
 */
class RoundTripTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] COLUMNS = {
    "id",
    "c_int2",
    "c_int4",
    "c_int8",
    "c_float4",
    "c_float8",
    "c_numeric",
    "c_numeric_bounded",
    "c_numeric_wide",
    "c_text",
    "c_varchar",
    "c_char",
    "c_bytea",
    "c_bool",
    "c_date",
    "c_time",
    "c_timestamp",
    "c_timestamptz",
    "c_uuid",
    "c_json",
    "c_jsonb",
    "c_int_array",
    "c_text_array",
    "c_mood",
    "c_interval"
  };

  @TempDir static Path out;
  static String url;
  static Path address;

  @BeforeAll
  static void build() throws Exception {
    url = TestPostgres.freshDatabase("roundtrip");
    TestPostgres.execute(
        url,
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
        "CREATE TABLE every_type (id int PRIMARY KEY, c_int2 smallint, c_int4 integer, c_int8 bigint,"
            + " c_float4 real, c_float8 double precision, c_numeric numeric, c_numeric_bounded numeric(12,3),"
            + " c_numeric_wide numeric(30,5), c_text text, c_varchar varchar(20), c_char char(5), c_bytea bytea,"
            + " c_bool boolean, c_date date, c_time time, c_timestamp timestamp, c_timestamptz timestamptz,"
            + " c_uuid uuid, c_json json, c_jsonb jsonb, c_int_array int[], c_text_array text[], c_mood mood,"
            + " c_interval interval)",
        "INSERT INTO every_type VALUES (1, 32767, -2147483648, 9007199254740993, 1.5, 3.141592653589793,"
            + " 12345678901234567890.123456789, 1234.567, 123456789012345678901234.56789, 'plain', 'vc', 'ab',"
            + " '\\x00ff10', true, '2024-02-29', '13:45:59.123456', '2024-01-02 03:04:05.678901',"
            + " '2024-01-02 03:04:05.678901+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
            + " E'{\"a\": [1, 2],\\n \"b\": \"x\"}', '{\"k\": \"v\", \"n\": 1}', '{1,NULL,3}',"
            + " '{\"x\",\"y,z\",NULL,\"q\\\"uote\"}', 'happy', '1 year 2 mons 3 days 04:05:06')",
        "INSERT INTO every_type VALUES (2, -1, 0, -9007199254740993, 'NaN', 'Infinity', 'NaN', -0.001,"
            + " -0.00001, E'He said \"hi\",\\nthen left. \u00dcn\u00efc\u00f6d\u00e9 \u2713 \uD83D\uDE80', '', 'x', '\\x', false,"
            + " 'infinity', '00:00:00', '-infinity', '1969-12-31 23:59:59.5+00',"
            + " '00000000-0000-0000-0000-000000000000', '[]', 'null', '{}', '{}', 'sad', '-1 second')",
        "INSERT INTO every_type (id, c_float8) VALUES (3, '-Infinity')",
        "INSERT INTO every_type (id) VALUES (4)");
    Amber.Result result =
        Amber.materialise(
            "--source",
            url,
            "--table",
            "every_type",
            "--dataset",
            "every-type",
            "--formats",
            "parquet,csv.gz,ndjson.gz",
            "--partitions",
            "2",
            "--output",
            out.toUri().toString());
    assertEquals(0, result.exitCode(), result.stderr());
    address = result.manifestPath().getParent();
  }

  /** What PostgreSQL says each row holds, rendered as text the way Amber's formats promise. */
  private static List<Map<String, String>> expectedText() throws Exception {
    List<Map<String, String>> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute(
          "SET TimeZone = 'UTC'; SET IntervalStyle = 'iso_8601'; SET DateStyle = 'ISO, YMD'");
      StringBuilder select = new StringBuilder("SELECT ");
      for (String column : COLUMNS) {
        String expression =
            column.endsWith("_array")
                ? "to_json(" + column + ")::text"
                : column.equals("c_bytea")
                    ? "encode(" + column + ", 'base64')"
                    // bpchar's cast to text drops the padding; the value itself keeps it
                    : column.equals("c_char") ? column : column + "::text";
        select.append(expression).append(" AS ").append(column).append(", ");
      }
      select.setLength(select.length() - 2);
      try (ResultSet rs = statement.executeQuery(select + " FROM every_type ORDER BY id")) {
        while (rs.next()) {
          Map<String, String> row = new LinkedHashMap<>();
          for (String column : COLUMNS) {
            row.put(column, render(column, rs.getString(column)));
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** PostgreSQL's text for a value, in Amber's rendering (ISO 'T', 'Z', Java floats, base64). */
  private static String render(String column, String pg) {
    if (pg == null) {
      return null;
    }
    switch (column) {
      case "c_timestamp":
        return pg.replace(' ', 'T');
      case "c_timestamptz":
        return pg.contains("infinity") ? pg : pg.replace(' ', 'T').replace("+00", "Z");
      case "c_float4":
        return Float.toString(Float.parseFloat(pg));
      case "c_float8":
        return Double.toString(Double.parseDouble(pg));
      case "c_bytea":
        return pg.replace("\n", "");
      default:
        return pg;
    }
  }

  @Test
  void csvHoldsEveryValueAsPostgresHasIt() throws Exception {
    List<Map<String, String>> expected = expectedText();
    List<Map<String, String>> actual = new ArrayList<>();
    CSVFormat format =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setNullString("")
            .setQuoteMode(QuoteMode.ALL_NON_NULL)
            .build();
    for (Path shard : shards("csv")) {
      try (CSVParser parser =
          CSVParser.parse(
              new GZIPInputStream(Files.newInputStream(shard)), StandardCharsets.UTF_8, format)) {
        assertEquals(List.of(COLUMNS), parser.getHeaderNames());
        for (CSVRecord record : parser) {
          Map<String, String> row = new LinkedHashMap<>();
          for (String column : COLUMNS) {
            row.put(column, record.get(column));
          }
          actual.add(row);
        }
      }
    }
    assertEquals(expected, actual);
    assertEquals("", actual.get(1).get("c_varchar"), "an empty string stays an empty string");
    assertNull(actual.get(3).get("c_varchar"), "NULL stays NULL");
  }

  @Test
  void ndjsonHoldsEveryValueAsPostgresHasIt() throws Exception {
    List<Map<String, String>> expected = expectedText();
    List<JsonNode> records = new ArrayList<>();
    for (Path shard : shards("ndjson")) {
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(Files.newInputStream(shard)), StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          records.add(JSON.readTree(line));
        }
      }
    }
    assertEquals(expected.size(), records.size());
    for (int i = 0; i < records.size(); i++) {
      JsonNode record = records.get(i);
      List<String> keys = new ArrayList<>();
      record.fieldNames().forEachRemaining(keys::add);
      assertEquals(List.of(COLUMNS), keys, "keys in schema order");
      for (String column : COLUMNS) {
        String want = expected.get(i).get(column);
        JsonNode value = record.get(column);
        String where = "row " + (i + 1) + " " + column;
        if (want == null) {
          assertTrue(value.isNull(), where);
        } else if (column.equals("c_json")
            || column.equals("c_jsonb")
            || column.endsWith("_array")) {
          assertEquals(JSON.readTree(want), value, where);
        } else if (List.of("id", "c_int2", "c_int4").contains(column)) {
          assertTrue(value.isIntegralNumber(), where);
          assertEquals(want, value.asText(), where);
        } else if (column.equals("c_int8")) {
          assertTrue(value.isTextual(), where + ": beyond 2^53, so a string");
          assertEquals(want, value.asText(), where);
        } else if (column.startsWith("c_float")) {
          boolean finite = !want.contains("N") && !want.contains("I");
          assertEquals(finite, value.isNumber(), where);
          assertEquals(want, finite ? render(column, value.asText()) : value.asText(), where);
        } else if (column.equals("c_bool")) {
          assertTrue(value.isBoolean(), where);
          assertEquals(want, value.asText(), where);
        } else {
          assertTrue(value.isTextual(), where + " is a string");
          assertEquals(want, value.asText(), where);
        }
      }
    }
  }

  @Test
  void parquetReadByDuckDbHoldsEveryValue() throws Exception {
    String glob = address.resolve("parquet").toString() + "/*.parquet";
    try (Connection pg = DriverManager.getConnection(url);
        Statement pgStatement = pg.createStatement();
        Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement duckStatement = duck.createStatement()) {
      pgStatement.execute("SET TimeZone = 'UTC'; SET IntervalStyle = 'iso_8601'");
      ResultSet want =
          pgStatement.executeQuery(
              "SELECT *, c_numeric::text AS numeric_text, c_date::text AS date_text, c_time::text AS time_text,"
                  + " c_timestamp::text AS timestamp_text, to_json(c_int_array)::text AS int_array_json,"
                  + " to_json(c_text_array)::text AS text_array_json, c_uuid::text AS uuid_text,"
                  + " c_interval::text AS interval_text, c_jsonb::text AS jsonb_text,"
                  + " (extract(epoch FROM c_timestamptz) * 1000000)::numeric AS timestamptz_micros"
                  + " FROM every_type ORDER BY id");
      ResultSet got =
          duckStatement.executeQuery(
              "SELECT *, CAST(c_date AS VARCHAR) AS date_text, CAST(c_time AS VARCHAR) AS time_text,"
                  + " CAST(c_timestamp AS VARCHAR) AS timestamp_text, CAST(to_json(c_int_array) AS VARCHAR) AS int_array_json,"
                  + " CAST(to_json(c_text_array) AS VARCHAR) AS text_array_json, CAST(c_uuid AS VARCHAR) AS uuid_text,"
                  + " epoch_us(c_timestamptz) AS timestamptz_micros"
                  + " FROM read_parquet('"
                  + glob
                  + "') ORDER BY id");
      int rows = 0;
      while (want.next()) {
        assertTrue(got.next(), "DuckDB reads as many rows");
        rows++;
        String row = "row " + want.getInt("id") + " ";
        assertEquals(
            want.getObject("c_int2") == null ? null : want.getInt("c_int2"),
            (Integer) intOrNull(got, "c_int2"),
            row + "int2");
        assertEquals(want.getObject("c_int4"), intOrNull(got, "c_int4"), row + "int4");
        assertEquals(want.getObject("c_int8"), got.getObject("c_int8"), row + "int8");
        assertEquals(want.getObject("c_float4"), got.getObject("c_float4"), row + "float4");
        assertEquals(want.getObject("c_float8"), got.getObject("c_float8"), row + "float8");
        assertEquals(
            want.getString("numeric_text"),
            got.getString("c_numeric"),
            row + "unbounded numeric as text");
        assertEquals(
            want.getBigDecimal("c_numeric_bounded"),
            got.getBigDecimal("c_numeric_bounded"),
            row + "numeric(12,3)");
        assertEquals(
            want.getBigDecimal("c_numeric_wide"),
            got.getBigDecimal("c_numeric_wide"),
            row + "numeric(30,5)");
        for (String text : List.of("c_text", "c_varchar", "c_char", "c_json", "c_mood")) {
          assertEquals(want.getString(text), got.getString(text), row + text);
        }
        assertEquals(want.getString("jsonb_text"), got.getString("c_jsonb"), row + "jsonb");
        assertEquals(
            want.getString("interval_text"), got.getString("c_interval"), row + "interval");
        java.sql.Blob blob = got.getBlob("c_bytea");
        assertArrayEquals(
            want.getBytes("c_bytea"),
            blob == null ? null : blob.getBytes(1, (int) blob.length()),
            row + "bytea");
        assertEquals(want.getObject("c_bool"), got.getObject("c_bool"), row + "bool");
        for (String text :
            List.of(
                "date_text",
                "time_text",
                "timestamp_text",
                "int_array_json",
                "text_array_json",
                "uuid_text")) {
          assertEquals(
              normaliseDuck(want.getString(text)), normaliseDuck(got.getString(text)), row + text);
        }
        BigDecimal micros = want.getBigDecimal("timestamptz_micros");
        if (micros != null && want.getString("c_timestamptz").contains("infinity")) {
          micros = null;
        }
        if (micros != null) {
          assertEquals(
              micros.longValueExact(), got.getLong("timestamptz_micros"), row + "timestamptz");
        }
      }
      assertEquals(4, rows);
    }
  }

  private static Object intOrNull(ResultSet rs, String column) throws Exception {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  /** DuckDB writes lists as {@code [1,null,3]} too, but spaces differ; compare without them. */
  private static String normaliseDuck(String text) {
    return text == null ? null : text.replace(" ", "").replace("T", " ");
  }

  @Test
  void verifyAcceptsTheBuild() throws Exception {
    Amber.Result verify = Amber.run("verify", address.resolve("manifest.json").toUri().toString());
    assertEquals(0, verify.exitCode(), verify.stdout() + verify.stderr());
  }

  private static List<Path> shards(String folder) throws Exception {
    try (var files = Files.list(address.resolve(folder))) {
      return files.sorted().toList();
    }
  }
}
