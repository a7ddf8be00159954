package org.amber.catalog.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.amber.catalog.domain.model.CatalogException;

/**
 * A JSON object request body, checked for content type, size and shape. Field accessors refuse
 * values of the wrong JSON type with the field's name; unknown fields are refused too, so a
 * misspelt option is not silently ignored.
 */
final class RequestBody {
  private final JsonNode root;

  private RequestBody(JsonNode root) {
    this.root = root;
  }

  /**
   * Reads the body as a JSON object with only {@code allowed} fields.
   *
   * @param optional an empty body counts as {@code {}}
   */
  static RequestBody read(Context ctx, long maxBytes, boolean optional, Set<String> allowed) {
    String length = ctx.header("Content-Length");
    if (length != null && parseLength(length) > maxBytes) {
      throw new HttpProblem(
          413, "Content too large", "the request body is larger than " + maxBytes + " bytes");
    }
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length > maxBytes) {
      throw new HttpProblem(
          413, "Content too large", "the request body is larger than " + maxBytes + " bytes");
    }
    if (bytes.length == 0 && optional) {
      return new RequestBody(Json.object());
    }
    String type = ctx.header("Content-Type");
    String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")
        && !mediaType.equals("application/merge-patch+json")) {
      throw new HttpProblem(
          415,
          "Unsupported media type",
          "send the body as application/json" + (type == null ? "" : ", not " + type));
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw HttpProblem.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw HttpProblem.badRequest("the body could not be read");
    }
    if (root == null || !root.isObject()) {
      throw HttpProblem.badRequest("the body must be a JSON object");
    }
    ClientText.check("", root);
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw CatalogException.invalid(
            name,
            "unknown field '" + name + "'; expected some of " + new java.util.TreeSet<>(allowed));
      }
    }
    return new RequestBody(root);
  }

  private static long parseLength(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      throw HttpProblem.badRequest("invalid Content-Length");
    }
  }

  boolean has(String field) {
    return root.has(field);
  }

  String string(String field) {
    return string(root, field, field);
  }

  Integer integer(String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw CatalogException.invalid(field, "'" + field + "' must be an integer");
    }
    return v.intValue();
  }

  /** A list of strings, also accepted as one comma-separated string. */
  List<String> stringList(String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return List.of(v.asText().split(","));
    }
    if (!v.isArray()) {
      throw CatalogException.invalid(field, "'" + field + "' must be a list of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw CatalogException.invalid(field, "'" + field + "' must be a list of strings");
      }
      values.add(item.asText());
    }
    return values;
  }

  /** A nested object, or null. */
  JsonNode object(String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw CatalogException.invalid(field, "'" + field + "' must be an object");
    }
    return v;
  }

  /** A list of objects or strings, or null. */
  JsonNode array(String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw CatalogException.invalid(field, "'" + field + "' must be a list");
    }
    return v;
  }

  static String string(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw CatalogException.invalid(path, "'" + path + "' must be a string");
    }
    return v.asText();
  }
}
