package dev.operators.django.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 requests with any Host header, as an ingress controller sends them to a Service (the
 * JDK's HttpClient refuses to set Host). One request per connection.
 */
public final class Http {
  private Http() {}

  /** A response: status, headers (lower-case names; Set-Cookie joined with "; "), body. */
  public record Response(int status, Map<String, String> headers, String body) {}

  public static Response get(String ip, int port, String host, String path) {
    return request(ip, port, "GET", host, path, Map.of(), null);
  }

  public static Response request(
      String ip,
      int port,
      String method,
      String host,
      String path,
      Map<String, String> headers,
      String formBody) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress(ip, port), 3_000);
      socket.setSoTimeout(10_000);
      var request =
          new StringBuilder()
              .append(method)
              .append(' ')
              .append(path)
              .append(" HTTP/1.1\r\n")
              .append("Host: ")
              .append(host)
              .append("\r\n")
              .append("Connection: close\r\n");
      headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      var body = formBody == null ? new byte[0] : formBody.getBytes(StandardCharsets.UTF_8);
      if (formBody != null) {
        request
            .append("Content-Type: application/x-www-form-urlencoded\r\n")
            .append("Content-Length: ")
            .append(body.length)
            .append("\r\n");
      }
      request.append("\r\n");
      var out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      var raw = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(raw);
      return parse(raw.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " http://" + host + path + " via " + ip, e);
    }
  }

  private static Response parse(String raw) {
    int end = raw.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new UncheckedIOException(new IOException("no complete response: " + raw));
    }
    var lines = raw.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    var headers = new LinkedHashMap<String, String>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      var name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      var value = lines[i].substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + "; " + b);
    }
    return new Response(status, headers, raw.substring(end + 4));
  }
}
