package org.amber.catalog.http;

/**
 * The optional body of {@code POST /v1/datasets/{name}/versions}.
 *
 * @param ttl how long the version lives, instead of the dataset's default
 */
record StartRequest(String ttl) {}
