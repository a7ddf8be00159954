package org.amber.catalog.artifact;

import java.net.URL;

/**
 * A body the client may fetch from the storage itself: one whole object of a remote store, which it
 * answers faster, with its own ranges, and without the bytes crossing the catalog.
 */
public interface DirectDownload {
  /**
   * A URL that serves this object to anyone holding it, for a limited time.
   *
   * @param httpMethod {@code GET} or {@code HEAD}: the method is part of what is signed
   * @param contentDisposition the {@code Content-Disposition} the storage answers with
   * @param contentType the {@code Content-Type} the storage answers with
   */
  URL signedUrl(String httpMethod, String contentDisposition, String contentType);
}
