package org.amber.catalog.build.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The Dataflow REST endpoints the catalog calls, served over a real socket for Google's client:
 * {@code flexTemplates:launch}, {@code jobs.get}, {@code jobs.update}, {@code jobs.getMetrics} and
 * {@code jobs.messages.list}. A test moves each job between states as Dataflow would.
 */
final class DataflowStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LAUNCH =
      Pattern.compile("/v1b3/projects/([^/]+)/locations/([^/]+)/flexTemplates:launch");
  private static final Pattern JOB =
      Pattern.compile(
          "/v1b3/projects/([^/]+)/locations/([^/]+)/jobs/([^/]+?)(/metrics|/messages)?");

  /** One launch request as received. */
  record Launch(String project, String region, String jobId, String rawBody, JsonNode body) {
    JsonNode parameters() {
      return body.path("launchParameter").path("parameters");
    }
  }

  private final HttpServer server;
  private final AtomicInteger nextJob = new AtomicInteger();
  final List<Launch> launches = new CopyOnWriteArrayList<>();
  final List<String> cancelRequests = new CopyOnWriteArrayList<>();
  private final Map<String, String> states = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> metrics = new ConcurrentHashMap<>();
  private final Map<String, List<String>> errors = new ConcurrentHashMap<>();
  private volatile String refuseLaunch;

  DataflowStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String rootUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  void setState(String jobId, String state) {
    states.put(jobId, state);
  }

  String state(String jobId) {
    return states.get(jobId);
  }

  /** How many times {@code jobs.get} asked about a job. */
  int gets(String jobId) {
    return gets.computeIfAbsent(jobId, j -> new AtomicInteger()).get();
  }

  /** Amber's three counters, as Dataflow reports a user counter: tentative and committed. */
  void setCounters(String jobId, long partitionsDone, long rows, long bytes) {
    ObjectNode reply = JSON.createObjectNode();
    ArrayNode updates = reply.putArray("metrics");
    // Split over two steps, and a system counter and another namespace that must be ignored.
    counter(updates, "amber", "partitions_done", "true", "s1", partitionsDone);
    counter(updates, "amber", "rows", "true", "s1", rows - 1);
    counter(updates, "amber", "rows", "true", "s2", 1);
    counter(updates, "amber", "bytes", "true", "s1", bytes);
    counter(updates, "amber", "rows", null, "s1", 1);
    counter(updates, "other", "rows", "true", "s1", 999_999);
    ObjectNode system = updates.addObject();
    system.putObject("name").put("origin", "dataflow/v1b3").put("name", "ElementCount");
    system.put("scalar", 123_456).put("kind", "SUM");
    metrics.put(jobId, reply);
  }

  private static void counter(
      ArrayNode updates, String namespace, String name, String tentative, String step, long v) {
    ObjectNode update = updates.addObject();
    ObjectNode structured = update.putObject("name").put("origin", "user").put("name", name);
    ObjectNode context = structured.putObject("context").put("namespace", namespace);
    context.put("step", step);
    if (tentative != null) {
      context.put("tentative", tentative);
    }
    update.put("scalar", v).put("kind", "SUM").put("cumulative", true);
  }

  void setErrors(String jobId, List<String> messages) {
    errors.put(jobId, messages);
  }

  /** The next launch is answered with this HTTP error. */
  void refuseNextLaunch(String message) {
    refuseLaunch = message;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      serve(exchange);
    } catch (IOException | RuntimeException e) {
      // The server would close the exchange without a word; a test should see why.
      e.printStackTrace();
      throw e;
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      // Google's client gzips request bodies, as Google's servers accept.
      InputStream in = exchange.getRequestBody();
      if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        in = new GZIPInputStream(in);
      }
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Matcher launch = LAUNCH.matcher(path);
      Matcher job = JOB.matcher(path);
      if (method.equals("POST") && launch.matches()) {
        if (refuseLaunch != null) {
          String message = refuseLaunch;
          refuseLaunch = null;
          reply(
              exchange,
              400,
              "{\"error\":{\"code\":400,\"message\":"
                  + JSON.writeValueAsString(message)
                  + ",\"status\":\"INVALID_ARGUMENT\"}}");
          return;
        }
        String id = "2026-11-21_00_00_00-" + (1000 + nextJob.incrementAndGet());
        states.put(id, "JOB_STATE_QUEUED");
        launches.add(new Launch(launch.group(1), launch.group(2), id, body, JSON.readTree(body)));
        ObjectNode reply = JSON.createObjectNode();
        reply
            .putObject("job")
            .put("id", id)
            .put("projectId", launch.group(1))
            .put("location", launch.group(2))
            .put("currentState", "JOB_STATE_QUEUED");
        reply(exchange, 200, JSON.writeValueAsString(reply));
      } else if (job.matches() && states.containsKey(job.group(3))) {
        String id = job.group(3);
        String part = job.group(4);
        if (method.equals("GET") && part == null) {
          gets.computeIfAbsent(id, j -> new AtomicInteger()).incrementAndGet();
          reply(exchange, 200, jobJson(job, id));
        } else if (method.equals("PUT") && part == null) {
          String requested = JSON.readTree(body).path("requestedState").asText();
          cancelRequests.add(id + " " + requested);
          if (requested.equals("JOB_STATE_CANCELLED")) {
            states.put(id, "JOB_STATE_CANCELLED");
          }
          reply(exchange, 200, jobJson(job, id));
        } else if (method.equals("GET") && part.equals("/metrics")) {
          reply(
              exchange,
              200,
              JSON.writeValueAsString(metrics.getOrDefault(id, JSON.createObjectNode())));
        } else if (method.equals("GET") && part.equals("/messages")) {
          ObjectNode reply = JSON.createObjectNode();
          ArrayNode list = reply.putArray("jobMessages");
          for (String text : errors.getOrDefault(id, List.of())) {
            list.addObject()
                .put("messageText", text)
                .put("messageImportance", "JOB_MESSAGE_ERROR")
                .put("time", "2026-11-21T00:00:00Z");
          }
          reply(exchange, 200, JSON.writeValueAsString(reply));
        } else {
          reply(exchange, 405, "{\"error\":{\"code\":405,\"message\":\"not here\"}}");
        }
      } else {
        reply(
            exchange,
            404,
            "{\"error\":{\"code\":404,\"message\":\"no such job\",\"status\":\"NOT_FOUND\"}}");
      }
    }
  }

  private String jobJson(Matcher job, String id) throws IOException {
    ObjectNode reply = JSON.createObjectNode();
    reply
        .put("id", id)
        .put("projectId", job.group(1))
        .put("location", job.group(2))
        .put("currentState", states.get(id));
    if (states.get(id).equals("JOB_STATE_UPDATED")) {
      reply.put("replacedByJobId", id + "-next");
    }
    return JSON.writeValueAsString(reply);
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
