package org.amber.catalog.build;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.amber.artifacts.protocol.ProtocolLines;

/** A stand-in for the pipelines jar, running {@link FakePipeline}, for the launcher to start. */
public final class FakePipelineJar {
  private FakePipelineJar() {}

  /** For {@code catalog-service/bench/downloads.sh}: writes the jar at {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    create(Path.of(args[0]));
  }

  /** Writes the jar at {@code jar}; returns it. */
  public static Path create(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakePipeline.class.getName());
    // The stand-in writes its lines and manifests with the real records, as the pipeline does.
    manifest
        .getMainAttributes()
        .put(
            Attributes.Name.CLASS_PATH,
            Stream.of(ProtocolLines.class, ObjectMapper.class, JsonParser.class, JsonProperty.class)
                .map(FakePipelineJar::codeSource)
                .map(Path::toUri)
                .map(URI::toString)
                .collect(Collectors.joining(" ")));
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (Class<?> type : List.of(FakePipeline.class, LargeVersion.class)) {
        String entry = type.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(entry));
        out.write(Files.readAllBytes(codeSource(type).resolve(entry)));
        out.closeEntry();
      }
    }
    return jar;
  }

  /** The jar or classes directory {@code type} was loaded from. */
  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
