package org.amber.catalog.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises itself, before a request reaches Javalin (a malformed request
 * line, bad URI encoding, a URI or header block too large, an unsupported HTTP version), as RFC
 * 9457 problem+json like every other refusal, instead of Jetty's HTML page. Whatever the client
 * accepts, and whatever its method: a client that sent a broken request is owed a readable answer.
 */
final class JettyProblems extends ErrorHandler {
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    // A version this server does not speak is the client's error like any other malformed
    // request line: 400, where Jetty says 505, so that bad input never counts as a server fault.
    int status =
        code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 ? HttpStatus.BAD_REQUEST_400 : code;
    response.setStatus(status);
    byte[] body = Json.bytes(Problems.body(status, Problems.reason(status), detail(code, message)));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    // Jetty drops a connection whose request it could not parse; saying so keeps a client from
    // sending its next request down a connection that is closing (and losing it, if not a GET).
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /**
   * Jetty's own message when it says more than the status (such as "Illegal character CNTL=0x0"),
   * else what the status means here. An exception's text (class names) or a server fault's is not
   * for the client.
   */
  private static String detail(int code, String message) {
    boolean informative =
        code < 500
            && message != null
            && !message.equalsIgnoreCase(HttpStatus.getMessage(code))
            && !message.contains("Exception")
            && message.length() <= 200;
    if (informative) {
      return message;
    }
    switch (code) {
      case HttpStatus.BAD_REQUEST_400:
        return "the request is malformed: its request line, a header or the URI's encoding";
      case HttpStatus.URI_TOO_LONG_414:
        return "the request URI is longer than this server accepts";
      case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431:
        return "the request headers are larger than this server accepts";
      case HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505:
        return "this server speaks HTTP/1.0 and HTTP/1.1 only";
      default:
        return HttpStatus.getMessage(code);
    }
  }
}
