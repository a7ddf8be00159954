package org.amber.catalog.artifact;

import com.google.auth.oauth2.ServiceAccountCredentials;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;

/** Service-account credentials with a key made here, so URLs can be signed without Google. */
public final class SigningKeys {
  private SigningKeys() {}

  public static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ServiceAccountCredentials serviceAccount(String name, KeyPair keys) {
    return ServiceAccountCredentials.newBuilder()
        .setClientEmail(name + "@amber-test.iam.gserviceaccount.com")
        .setClientId("1")
        .setPrivateKey((RSAPrivateKey) keys.getPrivate())
        .setPrivateKeyId("test-key")
        .setProjectId("amber-test")
        .build();
  }

  public static ServiceAccountCredentials serviceAccount(String name) {
    return serviceAccount(name, rsa());
  }
}
