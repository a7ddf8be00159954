package org.amber.transforms.schema;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.amber.artifacts.manifest.SchemaField;

/** The columns of a query's result, in result order. */
public record SourceSchema(List<Column> columns) implements Serializable {

  public SourceSchema {
    columns = List.copyOf(columns);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("the query returns no columns");
    }
    Set<String> names = new HashSet<>();
    for (Column column : columns) {
      if (!names.add(column.name())) {
        throw new IllegalArgumentException(
            "the query returns more than one column named '"
                + column.name()
                + "'; give each column its own name");
      }
    }
  }

  public int size() {
    return columns.size();
  }

  public Column get(int index) {
    return columns.get(index);
  }

  public Optional<Column> find(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** The column called {@code name}; says which columns there are when there is none. */
  public Column require(String name, String role) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown "
                        + role
                        + " '"
                        + name
                        + "'; the result has columns: "
                        + String.join(", ", names())));
  }

  public List<String> names() {
    return columns.stream().map(Column::name).collect(Collectors.toList());
  }

  public List<SchemaField> toManifestSchema() {
    return columns.stream().map(Column::toSchemaField).collect(Collectors.toList());
  }

  /** The select list that produces exactly these columns from alias {@code q}. */
  public String selectList() {
    return columns.stream().map(Column::selectExpression).collect(Collectors.joining(", "));
  }
}
