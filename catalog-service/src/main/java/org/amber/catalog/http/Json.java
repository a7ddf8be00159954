package org.amber.catalog.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The one JSON mapper of the HTTP layer, and small helpers for answering with JSON. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String CONTENT_TYPE = "application/json";

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  static void send(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType(CONTENT_TYPE).result(bytes(body));
  }

  /** RFC 3339 in UTC with millisecond precision, or JSON null. */
  static void putTime(ObjectNode node, String field, Instant instant) {
    if (instant == null) {
      node.putNull(field);
    } else {
      node.put(field, instant.truncatedTo(ChronoUnit.MILLIS).toString());
    }
  }
}
