package org.amber.artifacts.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatasetLayoutTest {
  @Test
  void locationsFollowTheSpecLayout() {
    DatasetLayout layout = DatasetLayout.of("gs://bucket/prefix/", "compound");
    assertEquals("gs://bucket/prefix/compound/.staging/b1/", layout.stagingDir("b1"));
    assertEquals(
        "gs://bucket/prefix/compound/sha256-ab/manifest.json", layout.manifest("sha256-ab"));
    assertEquals("gs://bucket/prefix/compound/builds/b1.json", layout.buildRecord("b1"));
    assertEquals("file:///data/x/", DatasetLayout.of("file:///data//", "x").datasetDir());
  }

  @Test
  void namesOutsideTheSpecAreRejected() {
    for (String bad : new String[] {"", "Upper", "-dash", "a/b", "a".repeat(64), "..", "a b"}) {
      assertThrows(IllegalArgumentException.class, () -> DatasetLayout.of("file:///x", bad), bad);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> DatasetLayout.of("file:///x", "ok").stagingDir("../escape"));
    assertEquals("file:///x/a.b_c-1/", DatasetLayout.of("file:///x", "a.b_c-1").datasetDir());
  }
}
