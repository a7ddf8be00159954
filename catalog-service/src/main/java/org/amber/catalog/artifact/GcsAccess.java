package org.amber.catalog.artifact;

import com.google.auth.ServiceAccountSigner;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.io.IOException;

/**
 * A Cloud Storage client and the signer of its URLs: from the environment for {@code serve}, or
 * given by a test (an in-memory storage and a locally made key).
 */
public record GcsAccess(Storage storage, ServiceAccountSigner signer) {

  /**
   * The Application Default Credentials (a key file named by {@code
   * GOOGLE_APPLICATION_CREDENTIALS}, the metadata server of a Google Cloud machine, or an
   * impersonated service account), which must be able to sign URLs.
   *
   * @throws IllegalStateException with one readable line when there are none, or they cannot sign
   */
  public static GcsAccess fromEnvironment() {
    GoogleCredentials credentials;
    try {
      credentials = GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw new IllegalStateException(
          "a gs:// output root needs Google credentials, and none were found: set"
              + " GOOGLE_APPLICATION_CREDENTIALS to a service account's key file, or run on Google"
              + " Cloud with a service account");
    }
    if (!(credentials instanceof ServiceAccountSigner signer)) {
      throw new IllegalStateException(
          "the Google credentials found ("
              + credentials.getClass().getSimpleName()
              + ") cannot sign download URLs: use a service account (a key file, the metadata"
              + " server, or gcloud auth application-default login"
              + " --impersonate-service-account=…)");
    }
    Storage storage = StorageOptions.newBuilder().setCredentials(credentials).build().getService();
    return new GcsAccess(storage, signer);
  }
}
