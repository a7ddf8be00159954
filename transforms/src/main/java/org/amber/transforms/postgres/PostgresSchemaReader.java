package org.amber.transforms.postgres;

import static org.amber.transforms.postgres.PostgresSessions.quoteIdentifier;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.ColumnType.Kind;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.source.SourceRelation;

/**
 * Describes a PostgreSQL relation's result columns and maps each to an Amber type. Types with a
 * binary decoder are read as they are; any other type (enums, intervals, inet, …) is cast to text
 * in the select list, arrays of them to {@code text[]}.
 */
public final class PostgresSchemaReader {
  private static final Map<String, Kind> KINDS =
      Map.ofEntries(
          Map.entry("bool", Kind.BOOL),
          Map.entry("int2", Kind.INT16),
          Map.entry("int4", Kind.INT32),
          Map.entry("int8", Kind.INT64),
          Map.entry("oid", Kind.INT64),
          Map.entry("float4", Kind.FLOAT32),
          Map.entry("float8", Kind.FLOAT64),
          Map.entry("numeric", Kind.DECIMAL),
          Map.entry("text", Kind.STRING),
          Map.entry("varchar", Kind.STRING),
          Map.entry("bpchar", Kind.STRING),
          Map.entry("name", Kind.STRING),
          Map.entry("bytea", Kind.BINARY),
          Map.entry("date", Kind.DATE),
          Map.entry("time", Kind.TIME),
          Map.entry("timestamp", Kind.TIMESTAMP),
          Map.entry("timestamptz", Kind.TIMESTAMPTZ),
          Map.entry("uuid", Kind.UUID),
          Map.entry("json", Kind.JSON),
          Map.entry("jsonb", Kind.JSON));

  /**
   * pgjdbc names a column with a sequence default after the serial pseudo-type; store the real one.
   */
  private static final Map<String, String> SERIAL_STORAGE =
      Map.of("serial", "int4", "bigserial", "int8", "smallserial", "int2");

  private PostgresSchemaReader() {}

  /**
   * @param trustNotNull whether the server's NOT NULL flags hold for this relation: true for a
   *     table, false for a query, where an outer join can make a NOT NULL column NULL
   */
  public static SourceSchema read(
      Connection connection, SourceRelation relation, boolean trustNotNull) throws SQLException {
    // Prepared and described, never executed: the extended protocol parses exactly one statement.
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT * FROM " + relation.fromClause() + " LIMIT 0")) {
      ResultSetMetaData md = statement.getMetaData();
      List<Column> columns = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String name = md.getColumnLabel(i);
        boolean nullable = !trustNotNull || md.isNullable(i) != ResultSetMetaData.columnNoNulls;
        String typeName =
            SERIAL_STORAGE.getOrDefault(md.getColumnTypeName(i), md.getColumnTypeName(i));
        columns.add(column(name, typeName, md.getPrecision(i), md.getScale(i), nullable));
      }
      return new SourceSchema(columns);
    }
  }

  static Column column(String name, String typeName, int precision, int scale, boolean nullable) {
    String ref = "q." + quoteIdentifier(name);
    boolean array = typeName.startsWith("_");
    String baseName = array ? typeName.substring(1) : typeName;
    Kind kind = KINDS.get(baseName);
    if (kind == null) {
      ColumnType text = ColumnType.of(Kind.STRING);
      return array
          ? new Column(name, ColumnType.listOf(text), nullable, typeName, ref + "::text[]")
          : new Column(name, text, nullable, typeName, ref + "::text");
    }
    ColumnType base =
        kind == Kind.DECIMAL
            ? (array ? ColumnType.decimal(0, 0) : ColumnType.decimal(precision, scale))
            : ColumnType.of(kind);
    return new Column(name, array ? ColumnType.listOf(base) : base, nullable, typeName, ref);
  }
}
