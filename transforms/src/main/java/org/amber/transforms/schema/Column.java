package org.amber.transforms.schema;

import java.io.Serializable;
import org.amber.artifacts.manifest.SchemaField;

/**
 * One column of a source result and how to select it.
 *
 * @param name the column's name in the result
 * @param type Amber's type of the values the reader produces
 * @param nullable false only when the source guarantees NOT NULL
 * @param sourceType the source's type name, e.g. {@code int8}, {@code _text}, {@code mood}
 * @param selectExpression SQL selecting the column from alias {@code q}, with a cast where the
 *     source type has no binary decoder ({@code q."mood"::text})
 */
public record Column(
    String name, ColumnType type, boolean nullable, String sourceType, String selectExpression)
    implements Serializable {

  public SchemaField toSchemaField() {
    return new SchemaField(name, type.name(), nullable, sourceType);
  }
}
