package org.amber.catalog.http;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.amber.artifacts.manifest.Manifest;
import org.amber.catalog.domain.DatasetService;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Version;

/**
 * One dataset: its definition and its newest completed version.
 *
 * @param latest null (shown as JSON null) before any version completed
 */
record DatasetResponse(@JsonUnwrapped DatasetView definition, VersionResponse latest) {

  /**
   * @param times see {@link DatasetView#of}
   * @param manifest the latest version's manifest, see {@link VersionResponse#of}
   * @param publicUrl the service's external base URL, for the citation
   */
  static DatasetResponse of(
      DatasetDefinition d,
      DatasetService.ScheduleTimes times,
      Version latest,
      Manifest manifest,
      String publicUrl) {
    return new DatasetResponse(
        DatasetView.of(d, times),
        latest == null ? null : VersionResponse.of(latest, d, manifest, publicUrl));
  }
}
