package dev.operators.django.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards TCP from the host end of the real node's veth to the API server on the host's loopback,
 * on the same port: the kubelet and kube-proxy (in the node's network namespace) reach the API
 * server this way, while the API server itself keeps listening on 127.0.0.1 only. The same address
 * and port is what a {@code kubernetes} Service would need as its endpoint for pods to reach the
 * API server (kube-apiserver {@code --advertise-address} set to {@link RealNode#GATEWAY}).
 */
final class ApiServerForwarder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServerForwarder.class);
  private final ServerSocket server;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private ApiServerForwarder(ServerSocket server, int port) {
    this.server = server;
    this.port = port;
  }

  static ApiServerForwarder start(String address, int port) {
    try {
      var server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(address), port), 64);
      var forwarder = new ApiServerForwarder(server, port);
      daemon("api-forwarder-accept", forwarder::accept);
      log.info("forwarding {}:{} to the API server on 127.0.0.1:{}", address, port, port);
      return forwarder;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + ":" + port, e);
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        var client = server.accept();
        var upstream = new Socket(InetAddress.getLoopbackAddress(), port);
        open.add(client);
        open.add(upstream);
        daemon("api-forwarder-up", () -> pipe(client, upstream));
        daemon("api-forwarder-down", () -> pipe(upstream, client));
      } catch (IOException e) {
        if (!server.isClosed()) {
          log.warn("API server forwarder: {}", e.toString());
        }
      }
    }
  }

  /** Copies until either side closes, then closes both (the peer's copy ends with them). */
  private void pipe(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException closed) {
      // One side went away: the connection is over.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  private static void daemon(String name, Runnable body) {
    var thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
    open.forEach(this::closeQuietly);
  }
}
