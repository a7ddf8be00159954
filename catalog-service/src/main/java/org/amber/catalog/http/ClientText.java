package org.amber.catalog.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses client text that PostgreSQL cannot store: its {@code text} type holds no NUL (U+0000),
 * and a UTF-16 surrogate that pairs with nothing has no UTF-8 form. Checked once where client text
 * enters (JSON bodies, path and query parameters), so no field can forget it.
 */
final class ClientText {
  private ClientText() {}

  /**
   * @throws InvalidField (422, naming {@code field}) when {@code value} cannot be stored
   */
  static void check(String field, String value) {
    if (value == null) {
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0') {
        throw new InvalidField(
            field, "'" + field + "' contains a NUL character (U+0000), which cannot be stored");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new InvalidField(
            field,
            String.format(
                "'%s' contains an unpaired UTF-16 surrogate (U+%04X), which cannot be stored",
                field, (int) c));
      }
    }
  }

  /** Checks every string and field name in a JSON tree; {@code path} names the tree's field. */
  static void check(String path, JsonNode node) {
    if (node.isTextual()) {
      check(path, node.textValue());
    } else if (node.isArray()) {
      node.forEach(item -> check(path, item));
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        check(path.isEmpty() ? "(field name)" : path, field.getKey());
        check(child, field.getValue());
      }
    }
  }
}
