package org.amber.catalog.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.amber.catalog.domain.model.DatasetDefinition.Creator;

/**
 * {@code creators}: each a name, or an object with a name and optionally an affiliation and an
 * identifier (other fields of a creator are ignored, as they always were).
 */
final class CreatorsDeserializer extends StdDeserializer<List<Creator>> {
  CreatorsDeserializer() {
    super(List.class);
  }

  @Override
  public List<Creator> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonNode v = ctxt.readTree(p);
    if (!v.isArray()) {
      throw new InvalidField("creators", "'creators' must be a list");
    }
    List<Creator> creators = new ArrayList<>();
    for (JsonNode c : v) {
      if (c.isTextual()) {
        creators.add(new Creator(c.asText(), null, null));
      } else if (c.isObject()) {
        creators.add(
            new Creator(string(c, "name"), string(c, "affiliation"), string(c, "identifier")));
      } else {
        throw new InvalidField("creators", "each creator is a name or an object with a name");
      }
    }
    return creators;
  }

  private static String string(JsonNode creator, String field) {
    JsonNode v = creator.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      String path = "creators." + field;
      throw new InvalidField(path, "'" + path + "' must be a string");
    }
    return v.asText();
  }
}
