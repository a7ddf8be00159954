package org.amber.transforms.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.ColumnType.Kind;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.source.SourceRelation;

/** Describes a generic JDBC relation's columns from {@link ResultSetMetaData}. */
public final class JdbcSchemaReader {
  private JdbcSchemaReader() {}

  public static SourceSchema read(
      Connection connection,
      SourceRelation relation,
      IdentifierQuoting dialect,
      boolean trustNotNull)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT * FROM " + relation.fromClause() + " WHERE 1 = 0")) {
      statement.setMaxRows(1);
      try (ResultSet rs = statement.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        List<Column> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          String name = md.getColumnLabel(i);
          boolean nullable = !trustNotNull || md.isNullable(i) != ResultSetMetaData.columnNoNulls;
          columns.add(
              new Column(
                  name,
                  typeOf(md, i),
                  nullable,
                  md.getColumnTypeName(i).toLowerCase(java.util.Locale.ROOT),
                  dialect.column(name)));
        }
        return new SourceSchema(columns);
      }
    }
  }

  static ColumnType typeOf(ResultSetMetaData md, int i) throws SQLException {
    switch (md.getColumnType(i)) {
      case Types.BOOLEAN:
      case Types.BIT:
        return md.getPrecision(i) > 1 ? ColumnType.of(Kind.BINARY) : ColumnType.of(Kind.BOOL);
      case Types.TINYINT:
      case Types.SMALLINT:
        return ColumnType.of(Kind.INT16);
      case Types.INTEGER:
        return md.isSigned(i) ? ColumnType.of(Kind.INT32) : ColumnType.of(Kind.INT64);
      case Types.BIGINT:
        return md.isSigned(i) ? ColumnType.of(Kind.INT64) : ColumnType.decimal(20, 0);
      case Types.REAL:
        return ColumnType.of(Kind.FLOAT32);
      case Types.FLOAT:
      case Types.DOUBLE:
        return ColumnType.of(Kind.FLOAT64);
      case Types.NUMERIC:
      case Types.DECIMAL:
        return ColumnType.decimal(md.getPrecision(i), md.getScale(i));
      case Types.DATE:
        return ColumnType.of(Kind.DATE);
      case Types.TIME:
        return ColumnType.of(Kind.TIME);
      case Types.TIMESTAMP:
        return ColumnType.of(Kind.TIMESTAMP);
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return ColumnType.of(Kind.TIMESTAMPTZ);
      case Types.BINARY:
      case Types.VARBINARY:
      case Types.LONGVARBINARY:
      case Types.BLOB:
        return ColumnType.of(Kind.BINARY);
      default:
        return ColumnType.of(Kind.STRING);
    }
  }
}
