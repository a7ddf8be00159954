package org.amber.catalog.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where a program or a reader goes next: {@code /} (for programs) lists the links, {@code /docs} is
 * the HTTP API reference rendered from {@code /openapi.json} by Swagger UI. Swagger UI comes from
 * its webjar on the classpath and is served from here, so the page needs nothing from the internet.
 */
final class DocsHandlers {
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final String OWN = "api-docs/";
  private static final String HTML = "text/html; charset=utf-8";

  /** Where {@code /} points, by the name a client looks it up with. */
  private static final Map<String, String> LINKS = links();

  private final String version;
  private final byte[] docsPage;

  /** The only files under {@code /docs/}: name to classpath resource and content type. */
  private final Map<String, Asset> assets;

  private record Asset(String resource, String contentType) {}

  DocsHandlers() {
    // Maven writes it into the jar's manifest; null when run from the classes folder.
    this.version = DocsHandlers.class.getPackage().getImplementationVersion();
    this.docsPage = read(OWN + "index.html");
    String swaggerUi = WEBJAR + webjarVersion() + "/";
    assets =
        Map.of(
            "swagger-ui.css", new Asset(swaggerUi + "swagger-ui.css", "text/css; charset=utf-8"),
            "swagger-ui-bundle.js",
                new Asset(swaggerUi + "swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
            "favicon-32x32.png", new Asset(swaggerUi + "favicon-32x32.png", "image/png"),
            "init.js", new Asset(OWN + "init.js", "text/javascript; charset=utf-8"));
    // A jar built without the webjar fails here, at start-up, not on someone's first visit.
    for (Asset asset : assets.values()) {
      if (DocsHandlers.class.getClassLoader().getResource(asset.resource()) == null) {
        throw new IllegalStateException(asset.resource() + " is missing from the classpath");
      }
    }
  }

  private static Map<String, String> links() {
    Map<String, String> links = new LinkedHashMap<>();
    links.put("datasets", "/v1/datasets");
    links.put("docs", "/docs");
    links.put("openapi", "/openapi.json");
    links.put("health", "/healthz");
    links.put("ready", "/readyz");
    return links;
  }

  /** The JSON index of links for programs; a browser gets the datasets page instead. */
  void index(Context ctx) {
    ObjectNode body = Json.object().put("service", "amber-catalog");
    if (version == null) {
      body.putNull("version");
    } else {
      body.put("version", version);
    }
    ObjectNode links = body.putObject("links");
    LINKS.forEach(links::put);
    Json.send(ctx, 200, body);
  }

  void docs(Context ctx) {
    ctx.contentType(HTML).result(docsPage);
  }

  void asset(Context ctx) {
    Asset asset = assets.get(ctx.pathParam("asset"));
    if (asset == null) {
      throw new HttpProblem(404, "Not found", "no such file under /docs/");
    }
    ctx.contentType(asset.contentType()).result(stream(asset.resource()));
  }

  /** The webjar's version, which names its folder; read from the webjar itself. */
  private static String webjarVersion() {
    Properties properties = new Properties();
    try (InputStream in = stream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  private static byte[] read(String resource) {
    try (InputStream in = stream(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream stream(String resource) {
    InputStream in = DocsHandlers.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException(resource + " is missing from the classpath");
    }
    return in;
  }
}
