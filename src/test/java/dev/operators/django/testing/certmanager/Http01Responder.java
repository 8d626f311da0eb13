package dev.operators.django.testing.certmanager;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * Answers HTTP-01 challenges from the Challenge objects, standing in for the ingress controller
 * that would route {@code /.well-known/acme-challenge/<token>} to cert-manager's solver pod (kwok
 * runs no containers, so the solver pod serves nothing here).
 *
 * <p>Two clients reach it, both on loopback: cert-manager's self check, through {@code HTTP_PROXY}
 * (so requests arrive in proxy form, {@code GET http://host/...}), and pebble's validation, which
 * resolves every name to 127.0.0.1 through pebble-challtestsrv and connects to this port. It
 * answers a token only for the host its Challenge names.
 *
 * <p>Hosts under {@value #ELSEWHERE} stand for names whose DNS points at some other web server:
 * that server knows nothing of the token and answers 404, which is what cert-manager reports on the
 * Challenge. Hosts under {@value #SPLIT_HORIZON} stand for names that resolve to the cluster from
 * inside (cert-manager's self check passes) but elsewhere from the internet (the CA gets 404 and
 * marks the challenge invalid).
 */
public final class Http01Responder implements AutoCloseable {
  public static final String ELSEWHERE = "elsewhere.example.com";
  public static final String SPLIT_HORIZON = "split-horizon.example.com";
  static final String PREFIX = "/.well-known/acme-challenge/";

  private final HttpServer server;
  private final KubernetesClient client;

  private Http01Responder(HttpServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  public static Http01Responder start(KubernetesClient admin) {
    try {
      var server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      var responder = new Http01Responder(server, admin);
      server.createContext("/", responder::handle);
      server.setExecutor(
          Executors.newFixedThreadPool(
              2,
              r -> {
                var thread = new Thread(r, "http01-responder");
                thread.setDaemon(true);
                return thread;
              }));
      server.start();
      return responder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      var uri = exchange.getRequestURI();
      var host =
          Optional.ofNullable(uri.getHost())
              .orElseGet(() -> exchange.getRequestHeaders().getFirst("Host"));
      var path = uri.getPath();
      // Only cert-manager's self check comes through the proxy, in proxy form (an absolute URI).
      boolean fromInside = uri.getHost() != null;
      var key =
          host == null || path == null || !path.startsWith(PREFIX)
              ? Optional.<String>empty()
              : keyFor(hostOnly(host), path.substring(PREFIX.length()), fromInside);
      var body = key.orElse("not found").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(key.isPresent() ? 200 : 404, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  /** The key authorization of the HTTP-01 Challenge for this host and token, if one exists. */
  @SuppressWarnings("unchecked")
  private Optional<String> keyFor(String host, String token, boolean fromInside) {
    if (under(host, ELSEWHERE) || (under(host, SPLIT_HORIZON) && !fromInside)) {
      return Optional.empty();
    }
    return client
        .genericKubernetesResources("acme.cert-manager.io/v1", "Challenge")
        .inAnyNamespace()
        .list()
        .getItems()
        .stream()
        .map(GenericKubernetesResource::getAdditionalProperties)
        .map(p -> (Map<String, Object>) p.getOrDefault("spec", Map.of()))
        .filter(
            spec ->
                "HTTP-01".equals(spec.get("type"))
                    && token.equals(spec.get("token"))
                    && host.equals(spec.get("dnsName")))
        .map(spec -> (String) spec.get("key"))
        .findFirst();
  }

  private static boolean under(String host, String domain) {
    return host.equals(domain) || host.endsWith("." + domain);
  }

  private static String hostOnly(String host) {
    var colon = host.lastIndexOf(':');
    var name = colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
