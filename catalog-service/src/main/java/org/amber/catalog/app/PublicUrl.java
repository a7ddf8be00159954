package org.amber.catalog.app;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The absolute URL the service is reached at from outside ({@code --public-url}): what citations
 * and landing-page links are built on. It is configured, or derived from the listener; never taken
 * from a request's {@code Host} header, which any client can set to send a reader elsewhere.
 */
public final class PublicUrl {
  private PublicUrl() {}

  /**
   * {@code url} checked (an absolute http or https URL with a host, and no user info, query or
   * fragment) and without trailing slashes, so paths can be appended to it.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static String check(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--public-url is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "--public-url must be an absolute http:// or https:// URL, got '" + url + "'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("--public-url needs a host name, got '" + url + "'");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("--public-url must not carry a user name or password");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "--public-url must not have a query (?…) or a fragment (#…), got '" + url + "'");
    }
    return url.replaceFirst("/+$", "");
  }

  /**
   * The URL of the listener itself, {@code http://HOST:PORT}: the default. On a wildcard address
   * (every interface) that is {@code localhost}, the one name sure to reach it.
   */
  public static String ofListener(String host, int port) {
    return "http://" + shownHost(host) + ":" + port;
  }

  static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  private static String shownHost(String host) {
    if (isWildcard(host)) {
      return "localhost";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
