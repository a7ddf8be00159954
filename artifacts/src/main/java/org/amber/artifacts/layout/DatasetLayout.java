package org.amber.artifacts.layout;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * Where a dataset's files live under an output root ({@code file:///…}, {@code gs://…}):
 *
 * <pre>
 * &lt;root&gt;/&lt;dataset&gt;/.staging/&lt;build-id&gt;/…   while a build runs; never served
 * &lt;root&gt;/&lt;dataset&gt;/&lt;address&gt;/manifest.json   written last: its presence commits the content
 * &lt;root&gt;/&lt;dataset&gt;/&lt;address&gt;/&lt;format&gt;/part-…
 * &lt;root&gt;/&lt;dataset&gt;/builds/&lt;build-id&gt;.json    provenance of one build
 * </pre>
 *
 * Plain string arithmetic on URIs, so the catalog can use it without a filesystem library.
 */
public final class DatasetLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String MANIFEST = "manifest.json";
  private static final Pattern DATASET_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final Pattern BUILD_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final String root;
  private final String dataset;

  private DatasetLayout(String root, String dataset) {
    this.root = stripTrailingSlashes(root);
    this.dataset = dataset;
  }

  public static DatasetLayout of(String root, String dataset) {
    requireDatasetName(dataset);
    return new DatasetLayout(root, dataset);
  }

  public static void requireDatasetName(String name) {
    if (name == null || !DATASET_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid dataset name '"
              + name
              + "': use 1-63 of a-z 0-9 . _ -, starting with a letter or digit");
    }
  }

  public static void requireBuildId(String buildId) {
    if (buildId == null || !BUILD_ID.matcher(buildId).matches()) {
      throw new IllegalArgumentException("invalid build id '" + buildId + "'");
    }
  }

  public String root() {
    return root;
  }

  public String dataset() {
    return dataset;
  }

  /** The dataset's folder; every other location is below it. */
  public String datasetDir() {
    return root + "/" + dataset + "/";
  }

  public String stagingDir(String buildId) {
    requireBuildId(buildId);
    return datasetDir() + ".staging/" + buildId + "/";
  }

  public String addressDir(String address) {
    return datasetDir() + address + "/";
  }

  public String manifest(String address) {
    return addressDir(address) + MANIFEST;
  }

  public String buildRecord(String buildId) {
    requireBuildId(buildId);
    return datasetDir() + "builds/" + buildId + ".json";
  }

  private static String stripTrailingSlashes(String uri) {
    String result = uri;
    while (result.endsWith("/") && !result.endsWith("://")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }
}
