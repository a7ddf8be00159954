package org.amber.catalog.http;

/**
 * A request refused at the HTTP level (malformed JSON, wrong content type, missing token…),
 * answered as {@code application/problem+json}.
 */
final class HttpProblem extends RuntimeException {
  private final int status;
  private final String title;

  HttpProblem(int status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
  }

  static HttpProblem badRequest(String detail) {
    return new HttpProblem(400, "Bad request", detail);
  }

  int status() {
    return status;
  }

  String title() {
    return title;
  }
}
