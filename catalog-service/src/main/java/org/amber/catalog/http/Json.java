package org.amber.catalog.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The one JSON mapper of the HTTP layer, and small helpers for answering with JSON. */
final class Json {
  static final ObjectMapper MAPPER = strictMapper();
  static final String CONTENT_TYPE = "application/json";

  private Json() {}

  /**
   * A mapper that takes JSON types as sent: a number is not a string, a string is not a number and
   * a fraction is not an integer, so a client's mistake is refused rather than guessed at.
   */
  private static ObjectMapper strictMapper() {
    // Request and response models name their fields in Java style; the API's are snake_case.
    ObjectMapper mapper =
        new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    return mapper;
  }

  /** Reads request bodies: a field the request type does not have is refused, not ignored. */
  static ObjectReader requestReader(Class<?> type) {
    return MAPPER.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(Object body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a response model always serialises", e);
    }
  }

  static void send(Context ctx, int status, Object body) {
    ctx.status(status).contentType(CONTENT_TYPE).result(bytes(body));
  }

  /** RFC 3339 in UTC with millisecond precision, or null. */
  static String time(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
