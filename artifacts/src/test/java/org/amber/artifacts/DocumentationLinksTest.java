package org.amber.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in every Markdown file of the repository resolves inside it — to a file that
 * exists and, for {@code #anchors}, to a heading of that file — so a fresh clone's docs never point
 * at something it does not have. (It lives here because artifacts is the first module of the
 * build.)
 */
class DocumentationLinksTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$", Pattern.MULTILINE);

  @Test
  void everyMarkdownLinkResolvesInsideTheRepository() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(root.resolve("README.md")), "run from a module of " + root);
    List<Path> markdown;
    try (Stream<Path> files = Files.walk(root)) {
      markdown =
          files
              .filter(p -> p.toString().endsWith(".md"))
              .filter(
                  p ->
                      !root.relativize(p)
                          .toString()
                          .matches("(.*/)?(target|node_modules|\\.git)/.*"))
              .toList();
    }
    assertTrue(markdown.size() >= 6, "found the docs: " + markdown);
    List<String> broken = new ArrayList<>();
    for (Path file : markdown) {
      Matcher links = LINK.matcher(Files.readString(file));
      while (links.find()) {
        String link = links.group(1);
        if (link.matches("^[a-z]+:.*")) {
          continue; // http:, https:, mailto: — not a file of the repository
        }
        String[] parts = link.split("#", 2);
        Path target =
            parts[0].isEmpty()
                ? file
                : file.getParent()
                    .resolve(URLDecoder.decode(parts[0], StandardCharsets.UTF_8))
                    .normalize();
        if (!target.startsWith(root) || !Files.exists(target)) {
          broken.add(root.relativize(file) + ": " + link + " (no such file in the repository)");
        } else if (parts.length == 2
            && Files.isRegularFile(target)
            && !anchors(target).contains(parts[1])) {
          broken.add(root.relativize(file) + ": " + link + " (no such heading)");
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  /** GitHub's anchors: headings lower-cased, punctuation dropped, spaces as hyphens. */
  private static List<String> anchors(Path file) throws IOException {
    List<String> anchors = new ArrayList<>();
    Matcher headings = HEADING.matcher(Files.readString(file));
    while (headings.find()) {
      anchors.add(
          headings
              .group(1)
              .trim()
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N} _-]", "")
              .replace(' ', '-'));
    }
    return anchors;
  }
}
