package org.amber.artifacts.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaChangesTest {
  private static SchemaField field(String name, String type) {
    return new SchemaField(name, type, true, type);
  }

  @Test
  void columnsAddedRemovedAndRetypedByName() {
    SchemaChanges changes =
        SchemaChanges.between(
            List.of(field("id", "int32"), field("gone", "string"), field("price", "decimal(10,2)")),
            List.of(
                field("price", "decimal(12,2)"), field("id", "int32"), field("colour", "string")));
    assertEquals(List.of("colour"), changes.added());
    assertEquals(List.of("gone"), changes.removed());
    assertEquals(
        List.of(new SchemaChanges.Retyped("price", "decimal(10,2)", "decimal(12,2)")),
        changes.retyped());
  }

  @Test
  void theSameSchemaInAnotherOrderIsNoChange() throws Exception {
    SchemaChanges none =
        SchemaChanges.between(
            List.of(field("a", "int64"), field("b", "string")),
            List.of(field("b", "string"), field("a", "int64")));
    assertTrue(none.isEmpty());
    assertEquals(
        "{\"columns_added\":[],\"columns_removed\":[],\"columns_retyped\":[]}",
        new String(ManifestJson.canonicalBytes(none), java.nio.charset.StandardCharsets.UTF_8));
  }
}
