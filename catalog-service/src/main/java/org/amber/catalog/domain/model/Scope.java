package org.amber.catalog.domain.model;

/** What a bearer token may do. Each scope includes the ones before it. */
public enum Scope {
  READ,
  WRITE,
  ADMIN;

  public boolean includes(Scope needed) {
    return compareTo(needed) >= 0;
  }

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Scope fromKey(String key) {
    for (Scope scope : values()) {
      if (scope.key().equals(key)) {
        return scope;
      }
    }
    throw new IllegalArgumentException(
        "unknown scope '" + key + "' (expected read, write or admin)");
  }
}
