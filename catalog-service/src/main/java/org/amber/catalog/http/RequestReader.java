package org.amber.catalog.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a JSON object request body into its request model, after checking content type, size and
 * stored text. A field of the wrong JSON type is refused with the field's name, and so is a field
 * the model does not have: a misspelt option is not silently ignored.
 */
final class RequestReader {
  /** The largest refused body still read, so that its refusal reaches the client. */
  static final long DRAIN_LIMIT = 1 << 20;

  private RequestReader() {}

  /**
   * @param optional an empty body counts as {@code {}}
   */
  static <T> T read(Context ctx, long maxBytes, boolean optional, Class<T> type) {
    String length = ctx.header("Content-Length");
    if (length != null && parseLength(length) > maxBytes) {
      drain(ctx, parseLength(length));
      throw new HttpProblem(
          413, "Content too large", "the request body is larger than " + maxBytes + " bytes");
    }
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length > maxBytes) {
      throw new HttpProblem(
          413, "Content too large", "the request body is larger than " + maxBytes + " bytes");
    }
    JsonNode root = bytes.length == 0 && optional ? Json.object() : parse(ctx, bytes);
    ClientText.check("", root);
    try {
      return Json.requestReader(type).treeToValue(root, type);
    } catch (UnrecognizedPropertyException e) {
      String name = e.getPropertyName();
      TreeSet<String> known =
          e.getKnownPropertyIds().stream()
              .map(Object::toString)
              .collect(Collectors.toCollection(TreeSet::new));
      throw new InvalidField(name, "unknown field '" + name + "'; expected some of " + known);
    } catch (JsonMappingException e) {
      throw refusal(e);
    } catch (IOException e) {
      throw HttpProblem.badRequest("the body could not be read");
    }
  }

  private static JsonNode parse(Context ctx, byte[] bytes) {
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
    } catch (IOException e) {
      throw HttpProblem.badRequest("the body could not be read");
    }
    if (root == null || !root.isObject()) {
      throw HttpProblem.badRequest("the body must be a JSON object");
    }
    return root;
  }

  /** The refusal a field's own check raised, or "'field' must be a …" for a wrong JSON type. */
  private static RuntimeException refusal(JsonMappingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidField refused) {
        return refused;
      }
    }
    String field =
        e.getPath().stream()
            .map(JsonMappingException.Reference::getFieldName)
            .filter(name -> name != null)
            .collect(Collectors.joining("."));
    Class<?> target = null;
    if (e instanceof MismatchedInputException mismatch) {
      target = mismatch.getTargetType();
    } else if (e.getCause() instanceof InputCoercionException coercion) {
      target = coercion.getTargetType();
    }
    return new InvalidField(field, "'" + field + "' must be " + expected(target));
  }

  private static String expected(Class<?> target) {
    if (target == String.class) {
      return "a string";
    }
    if (target == Integer.class || target == int.class) {
      return "an integer";
    }
    return "an object";
  }

  /**
   * Reads and drops a refused body no larger than {@link #DRAIN_LIMIT}, which a client may well
   * send whole before it reads the answer: a server that closes a connection with the body unread
   * makes the kernel reset it, and the client can lose the 413 on the way ("header parser received
   * no bytes"). A larger body is not read; the connection is closed on it.
   */
  private static void drain(Context ctx, long length) {
    if (length > DRAIN_LIMIT) {
      return;
    }
    try {
      ctx.req().getInputStream().transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the refusal is sent either way
    }
  }

  private static long parseLength(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      throw HttpProblem.badRequest("invalid Content-Length");
    }
  }
}
