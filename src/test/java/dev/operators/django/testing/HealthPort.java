package dev.operators.django.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The health port of {@code ./mvnw -Prun}, chosen before anything starts: HEALTH_PORT when set (a
 * busy one ends the run with the port named), else 8080, or a free port when 8080 is taken, which
 * is common on a developer's machine; the port is printed either way.
 */
final class HealthPort {
  static final int PREFERRED = 8080;

  private HealthPort() {}

  static int choose(Map<String, String> env, int preferred) {
    var set = env.get("HEALTH_PORT");
    if (set != null && !set.isBlank()) {
      int port = Integer.parseInt(set.trim());
      if (port != 0 && !free(port)) {
        throw new IllegalStateException(
            "port %d (HEALTH_PORT) is in use by another program; choose another, or unset"
                    .formatted(port)
                + " HEALTH_PORT to get a free one");
      }
      return port;
    }
    if (free(preferred)) {
      return preferred;
    }
    try (var socket = new ServerSocket(0)) {
      int port = socket.getLocalPort();
      System.out.printf(
          "Port %d is in use by another program; /healthz, /readyz and /metrics are on port %d"
              + " instead (HEALTH_PORT chooses one).%n",
          preferred, port);
      return port;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean free(int port) {
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
