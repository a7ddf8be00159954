package org.amber.artifacts.protocol;

/**
 * How a launcher (scripts/amber, or the catalog for its child builds) learns that the class data
 * sharing archive a build's JVM writes at exit is a committed build's and worth keeping: it names a
 * marker file in the system property {@value #PROPERTY}, and the build creates that file once it
 * has committed. An archive without its marker (a run that printed {@code --help}, or failed) is
 * discarded.
 */
public final class ClassArchiveMarker {
  /** The system property naming the marker file; unset, there is nothing to vouch for. */
  public static final String PROPERTY = "amber.class-archive-marker";

  private ClassArchiveMarker() {}
}
