package org.amber.catalog.http;

/** The body of {@code POST /v1/tokens}: the scope of the new token and a name to know it by. */
record TokenRequest(String scope, String name) {}
