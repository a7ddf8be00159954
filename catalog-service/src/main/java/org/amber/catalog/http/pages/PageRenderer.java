package org.amber.catalog.http.pages;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the pages from the Pebble templates under {@code templates/} on the classpath. Pebble
 * escapes every printed value for HTML unless a template marks it {@code raw}; strict variables
 * make a misspelt name in a template an error rather than an empty string.
 */
public final class PageRenderer {
  private final PebbleEngine engine;
  private final PageAssets assets;
  private final String version;

  /**
   * @param version the service's version for the footer, null when not run from the jar
   */
  public PageRenderer(PageAssets assets, String version) {
    ClasspathLoader loader = new ClasspathLoader(PageRenderer.class.getClassLoader());
    loader.setPrefix("templates");
    loader.setSuffix(".peb");
    this.engine =
        new PebbleEngine.Builder()
            .loader(loader)
            .autoEscaping(true)
            .defaultEscapingStrategy("html")
            .strictVariables(true)
            .defaultLocale(Locale.ROOT)
            .build();
    this.assets = assets;
    this.version = version;
    // Every template compiles now: a broken one stops start-up, not a visitor's request.
    for (String name : new String[] {"datasets", "dataset", "version", "error"}) {
      engine.getTemplate(name);
    }
  }

  /**
   * @param template a file under {@code templates/} without {@code .peb}
   * @param title the page's {@code <title>}
   * @param view the page's record, seen by the template as {@code page}
   */
  public String render(String template, String title, Object view) {
    PebbleTemplate compiled = engine.getTemplate(template);
    Map<String, Object> context = new HashMap<>();
    context.put("title", title);
    context.put("page", view);
    context.put("css", assets.css());
    context.put("js", assets.js());
    context.put("version", version == null ? "(unpackaged)" : version);
    StringWriter out = new StringWriter();
    try {
      compiled.evaluate(out, context);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
