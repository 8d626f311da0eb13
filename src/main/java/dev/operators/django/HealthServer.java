package dev.operators.django;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * /healthz (liveness: the informers are connected) and /readyz (the operator has started and its
 * informers are synced), plus any further text endpoints such as /metrics.
 */
final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  HealthServer(int port, Operator operator, Map<String, Supplier<String>> extra) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on port %d for /healthz, /readyz and /metrics (%s); set HEALTH_PORT to another port"
              .formatted(port, e.getMessage()),
          e);
    }
    var endpoints = new LinkedHashMap<String, Supplier<String>>(extra);
    server.createContext(
        "/healthz",
        exchange -> respond(exchange, operator.getRuntimeInfo().allEventSourcesAreHealthy(), "ok"));
    server.createContext(
        "/readyz",
        exchange ->
            respond(
                exchange,
                operator.getRuntimeInfo().isStarted()
                    && operator.getRuntimeInfo().allEventSourcesAreHealthy(),
                "ready"));
    endpoints.forEach(
        (path, body) ->
            server.createContext(path, exchange -> respond(exchange, true, body.get())));
    server.setExecutor(null);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, boolean ok, String body) throws IOException {
    var bytes = (ok ? body : "unavailable").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(ok ? 200 : 503, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
