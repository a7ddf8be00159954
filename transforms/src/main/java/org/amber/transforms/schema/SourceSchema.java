package org.amber.transforms.schema;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.amber.artifacts.manifest.SchemaField;

/** The columns of a query's result, in result order. */
public record SourceSchema(List<Column> columns) implements Serializable {

  public SourceSchema {
    columns = List.copyOf(columns);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("the query returns no columns");
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
