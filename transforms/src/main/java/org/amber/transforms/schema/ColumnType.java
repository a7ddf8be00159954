package org.amber.transforms.schema;

import java.io.Serializable;
import java.util.Objects;

/**
 * Amber's type of a column, independent of the source database. Every format writer takes values in
 * one canonical Java form per kind:
 *
 * <table>
 *   <tr><th>kind</th><th>value</th></tr>
 *   <tr><td>BOOL</td><td>{@link Boolean}</td></tr>
 *   <tr><td>INT16, INT32</td><td>{@link Integer}</td></tr>
 *   <tr><td>INT64</td><td>{@link Long}</td></tr>
 *   <tr><td>FLOAT32</td><td>{@link Float}</td></tr>
 *   <tr><td>FLOAT64</td><td>{@link Double}</td></tr>
 *   <tr><td>DECIMAL</td><td>{@link java.math.BigDecimal}, or a {@link Double} NaN/±Infinity</td></tr>
 *   <tr><td>STRING, JSON</td><td>{@code byte[]}, UTF-8</td></tr>
 *   <tr><td>BINARY</td><td>{@code byte[]}</td></tr>
 *   <tr><td>UUID</td><td>{@code byte[16]}</td></tr>
 *   <tr><td>DATE</td><td>{@link Integer} days since 1970-01-01 (±{@code Integer.MAX_VALUE}: ±infinity)</td></tr>
 *   <tr><td>TIME</td><td>{@link Long} microseconds since midnight</td></tr>
 *   <tr><td>TIMESTAMP, TIMESTAMPTZ</td><td>{@link Long} microseconds since 1970-01-01T00:00Z
 *       (±{@code Long.MAX_VALUE}: ±infinity)</td></tr>
 *   <tr><td>LIST</td><td>{@link java.util.List} of the element's values</td></tr>
 * </table>
 *
 * NULL is {@code null} everywhere. Infinities are symmetric (±MAX), as DuckDB reads them from
 * Parquet; PostgreSQL's own -infinity is MIN, which no Parquet reader takes for an infinity.
 */
public final class ColumnType implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Largest decimal precision written as a Parquet DECIMAL; wider values become strings. */
  public static final int MAX_DECIMAL_PRECISION = 38;

  public enum Kind {
    BOOL,
    INT16,
    INT32,
    INT64,
    FLOAT32,
    FLOAT64,
    DECIMAL,
    STRING,
    JSON,
    BINARY,
    UUID,
    DATE,
    TIME,
    TIMESTAMP,
    TIMESTAMPTZ,
    LIST
  }

  private final Kind kind;
  private final int precision;
  private final int scale;
  private final ColumnType element;

  private ColumnType(Kind kind, int precision, int scale, ColumnType element) {
    this.kind = kind;
    this.precision = precision;
    this.scale = scale;
    this.element = element;
  }

  public static ColumnType of(Kind kind) {
    if (kind == Kind.LIST) {
      throw new IllegalArgumentException("use listOf(element)");
    }
    return new ColumnType(kind, 0, 0, null);
  }

  /** A decimal of bounded precision; precision 0 means unbounded (written as a string). */
  public static ColumnType decimal(int precision, int scale) {
    boolean bounded = precision > 0 && precision <= MAX_DECIMAL_PRECISION && scale >= 0;
    return bounded
        ? new ColumnType(Kind.DECIMAL, precision, scale, null)
        : new ColumnType(Kind.DECIMAL, 0, 0, null);
  }

  public static ColumnType listOf(ColumnType element) {
    if (element.kind == Kind.LIST) {
      throw new IllegalArgumentException("nested lists are not supported");
    }
    return new ColumnType(Kind.LIST, 0, 0, element);
  }

  /**
   * The type a manifest names (the inverse of {@link #name()}): {@code int64}, {@code
   * decimal(10,2)}, {@code list<string>}.
   */
  public static ColumnType parse(String name) {
    if (name.startsWith("list<") && name.endsWith(">")) {
      return listOf(parse(name.substring(5, name.length() - 1)));
    }
    if (name.equals("decimal")) {
      return decimal(0, 0);
    }
    if (name.startsWith("decimal(") && name.endsWith(")")) {
      String[] ps = name.substring(8, name.length() - 1).split(",", -1);
      try {
        return decimal(Integer.parseInt(ps[0].trim()), Integer.parseInt(ps[1].trim()));
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        throw new IllegalArgumentException("not a column type: " + name);
      }
    }
    for (Kind kind : Kind.values()) {
      if (kind != Kind.LIST
          && kind != Kind.DECIMAL
          && kind.name().toLowerCase(java.util.Locale.ROOT).equals(name)) {
        return of(kind);
      }
    }
    throw new IllegalArgumentException("not a column type: " + name);
  }

  public Kind kind() {
    return kind;
  }

  public boolean isBoundedDecimal() {
    return kind == Kind.DECIMAL && precision > 0;
  }

  public int precision() {
    return precision;
  }

  public int scale() {
    return scale;
  }

  public ColumnType element() {
    return element;
  }

  /**
   * The name recorded in the manifest: {@code int64}, {@code decimal(10,2)}, {@code list<string>}.
   */
  public String name() {
    switch (kind) {
      case DECIMAL:
        return isBoundedDecimal() ? "decimal(" + precision + "," + scale + ")" : "decimal";
      case LIST:
        return "list<" + element.name() + ">";
      case BOOL:
        return "bool";
      case FLOAT32:
        return "float32";
      case FLOAT64:
        return "float64";
      default:
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ColumnType)) {
      return false;
    }
    ColumnType other = (ColumnType) o;
    return kind == other.kind
        && precision == other.precision
        && scale == other.scale
        && Objects.equals(element, other.element);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, precision, scale, element);
  }

  @Override
  public String toString() {
    return name();
  }
}
