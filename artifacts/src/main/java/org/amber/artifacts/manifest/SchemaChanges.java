package org.amber.artifacts.manifest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one version's schema differs from another's, column by column name: columns added, removed,
 * and retyped (same name, another Amber type).
 */
public record SchemaChanges(
    @JsonProperty("columns_added") List<String> added,
    @JsonProperty("columns_removed") List<String> removed,
    @JsonProperty("columns_retyped") List<Retyped> retyped) {

  public SchemaChanges {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    retyped = List.copyOf(retyped);
  }

  /** A column whose type changed; {@code from} and {@code to} are manifest type names. */
  public record Retyped(
      @JsonProperty("name") String name,
      @JsonProperty("from") String from,
      @JsonProperty("to") String to) {}

  /** The changes from {@code before} to {@code after}, in each schema's column order. */
  public static SchemaChanges between(List<SchemaField> before, List<SchemaField> after) {
    Map<String, SchemaField> old = new LinkedHashMap<>();
    before.forEach(f -> old.put(f.name(), f));
    Map<String, SchemaField> now = new LinkedHashMap<>();
    after.forEach(f -> now.put(f.name(), f));
    List<String> added = new ArrayList<>();
    List<Retyped> retyped = new ArrayList<>();
    for (SchemaField field : after) {
      SchemaField previous = old.get(field.name());
      if (previous == null) {
        added.add(field.name());
      } else if (!previous.type().equals(field.type())) {
        retyped.add(new Retyped(field.name(), previous.type(), field.type()));
      }
    }
    List<String> removed =
        before.stream().map(SchemaField::name).filter(n -> !now.containsKey(n)).toList();
    return new SchemaChanges(added, removed, retyped);
  }

  @JsonIgnore
  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && retyped.isEmpty();
  }
}
