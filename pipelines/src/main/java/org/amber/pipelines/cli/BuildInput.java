package org.amber.pipelines.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.amber.transforms.source.QueryCheck;

/**
 * What {@code materialise} takes from outside its command line, so that nothing secret or large has
 * to be there (any local user can read a process's arguments, and the kernel caps their size): the
 * query from a file or stdin ({@code --query-file PATH|-}), and the source URL from {@code
 * AMBER_SOURCE_URL} when {@code --source} is not given.
 */
final class BuildInput {
  static final String SOURCE_URL_ENV = "AMBER_SOURCE_URL";

  /** The largest query taken from a file: the same bound as the query check's. */
  static final int MAX_QUERY_BYTES = QueryCheck.MAX_BYTES;

  private final List<String> args;
  private final String query;

  private BuildInput(List<String> args, String query) {
    this.args = args;
    this.query = query;
  }

  /**
   * Takes {@code --query-file} out of the arguments (reading what it names) and adds {@code
   * --source} from the environment when absent; the rest goes to Beam's parser unchanged.
   */
  static BuildInput from(List<String> args, Map<String, String> env, InputStream stdin)
      throws IOException {
    List<String> rest = new ArrayList<>();
    String queryFile = null;
    boolean hasSource = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--query-file") || arg.startsWith("--query-file=")) {
        if (queryFile != null) {
          throw new IllegalArgumentException("--query-file is given more than once");
        }
        if (arg.startsWith("--query-file=")) {
          queryFile = arg.substring("--query-file=".length());
        } else if (i + 1 < args.size()) {
          queryFile = args.get(++i);
        }
        if (queryFile == null || queryFile.isEmpty()) {
          throw new IllegalArgumentException("--query-file needs a file name, or - for stdin");
        }
        continue;
      }
      hasSource |= arg.equals("--source") || arg.startsWith("--source=");
      rest.add(arg);
    }
    String url = env.get(SOURCE_URL_ENV);
    if (!hasSource && url != null && !url.isBlank()) {
      // In this process only: Beam's parser sees it, no command line does.
      rest.add("--source=" + url);
    }
    String query = null;
    if (queryFile != null) {
      if (rest.stream().anyMatch(a -> a.equals("--query") || a.startsWith("--query="))) {
        throw new IllegalArgumentException("give --query or --query-file, not both");
      }
      query = queryFile.equals("-") ? read(stdin, "stdin") : readFile(Path.of(queryFile));
      if (query.isBlank()) {
        throw new IllegalArgumentException("the query from " + describe(queryFile) + " is empty");
      }
    }
    return new BuildInput(rest, query);
  }

  /** The arguments for Beam's parser. */
  List<String> args() {
    return args;
  }

  /** The query read by {@code --query-file}, or null. */
  String query() {
    return query;
  }

  private static String readFile(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--query-file " + file + ": no such file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  private static String read(InputStream in, String from) throws IOException {
    byte[] bytes = in.readNBytes(MAX_QUERY_BYTES + 1);
    if (bytes.length > MAX_QUERY_BYTES) {
      throw new IllegalArgumentException(
          "the query from " + describe(from) + " is larger than " + MAX_QUERY_BYTES + " bytes");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the query from " + describe(from) + " is not UTF-8");
    }
  }

  private static String describe(String from) {
    return from.equals("-") ? "stdin" : from;
  }
}
