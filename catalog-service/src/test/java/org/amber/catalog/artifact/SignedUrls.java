package org.amber.catalog.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks a V4 signed URL of Cloud Storage the way Cloud Storage does: rebuilds the canonical
 * request and the string to sign from the URL (by the documented algorithm, not through the client
 * library) and verifies the signature with the service account's public key.
 */
public final class SignedUrls {
  private SignedUrls() {}

  /** The URL's query parameters, decoded, in their order. */
  public static Map<String, String> parameters(URL url) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : url.getQuery().split("&")) {
      int eq = pair.indexOf('=');
      params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
    }
    return params;
  }

  /** Whether {@code key} signed this URL for {@code method}. */
  public static boolean verifies(URL url, String method, PublicKey key)
      throws GeneralSecurityException {
    Map<String, String> params = parameters(url);
    String canonicalQuery =
        new TreeMap<>(params)
            .entrySet().stream()
                .filter(e -> !e.getKey().equals("X-Goog-Signature"))
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    assertEquals("host", params.get("X-Goog-SignedHeaders"), "only host is signed");
    String canonicalRequest =
        String.join(
            "\n",
            method,
            url.getPath(),
            canonicalQuery,
            "host:" + url.getHost() + "\n",
            "host",
            "UNSIGNED-PAYLOAD");
    String credential = params.get("X-Goog-Credential");
    String scope = credential.substring(credential.indexOf('/') + 1);
    String stringToSign =
        String.join(
            "\n",
            params.get("X-Goog-Algorithm"),
            params.get("X-Goog-Date"),
            scope,
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(key);
    rsa.update(stringToSign.getBytes(StandardCharsets.UTF_8));
    return rsa.verify(HexFormat.of().parseHex(params.get("X-Goog-Signature")));
  }

  /** The same URL with one query parameter's value replaced. */
  public static URL withParameter(URL url, String name, String value) throws Exception {
    Map<String, String> params = parameters(url);
    params.put(name, value);
    String query =
        params.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return URI.create(url.getProtocol() + "://" + url.getHost() + url.getPath() + "?" + query)
        .toURL();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** RFC 3986: everything but the unreserved characters percent-encoded, as V4 requires. */
  private static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
