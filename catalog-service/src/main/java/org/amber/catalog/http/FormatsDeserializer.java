package org.amber.catalog.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code formats}: a list of strings, also accepted as one comma-separated string. */
final class FormatsDeserializer extends StdDeserializer<List<String>> {
  FormatsDeserializer() {
    super(List.class);
  }

  @Override
  public List<String> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonNode v = ctxt.readTree(p);
    if (v.isTextual()) {
      return List.of(v.asText().split(","));
    }
    InvalidField wrongType = new InvalidField("formats", "'formats' must be a list of strings");
    if (!v.isArray()) {
      throw wrongType;
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw wrongType;
      }
      values.add(item.asText());
    }
    return values;
  }
}
