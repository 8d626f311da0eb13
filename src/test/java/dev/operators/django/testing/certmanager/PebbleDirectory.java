package dev.operators.django.testing.certmanager;

import dev.operators.django.testing.Commands;
import dev.operators.django.testing.ComponentProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;

/**
 * One pebble ACME server: a directory standing for Let's Encrypt staging or production. Each
 * instance generates its own root and intermediate at start, so a certificate's chain tells which
 * one issued it, and each counts the orders placed on it (from its own log: pebble has no API that
 * lists orders).
 */
public final class PebbleDirectory {
  private final String name;
  private final int port;
  private final int managementPort;
  private final ComponentProcess process;
  private final Path logFile;
  private final Path listenerRoot;

  private PebbleDirectory(
      String name,
      int port,
      int managementPort,
      ComponentProcess process,
      Path logFile,
      Path listenerRoot) {
    this.name = name;
    this.port = port;
    this.managementPort = managementPort;
    this.process = process;
    this.logFile = logFile;
    this.listenerRoot = listenerRoot;
  }

  /**
   * Starts pebble with the settings that make it deterministic: no rejected nonces, no random
   * validation sleeps, no reuse of valid authorizations (each order validates again, as a first
   * order on a fresh Let's Encrypt account does), and one-second retry hints.
   *
   * @param blockedDomains names this directory refuses to issue for, as a CA policy would
   */
  static PebbleDirectory start(
      String name,
      AcmeBinaries binaries,
      int http01Port,
      int dnsPort,
      List<String> blockedDomains,
      Path workDir) {
    int port = freePort();
    int managementPort = freePort();
    var config = workDir.resolve(name + ".json");
    var blocked = String.join(",", blockedDomains.stream().map(d -> "\"" + d + "\"").toList());
    Commands.write(
        config,
        """
        {"pebble": {
          "listenAddress": "127.0.0.1:%d",
          "managementListenAddress": "127.0.0.1:%d",
          "certificate": "%s",
          "privateKey": "%s",
          "httpPort": %d,
          "tlsPort": %d,
          "ocspResponderURL": "",
          "externalAccountBindingRequired": false,
          "domainBlocklist": [%s],
          "retryAfter": {"authz": 1, "order": 1}
        }}
        """
            .formatted(
                port,
                managementPort,
                binaries.pebbleListenerCertificate(),
                binaries.pebbleListenerKey(),
                http01Port,
                freePort(),
                blocked));
    var logs = workDir.resolve("logs");
    var process =
        ComponentProcess.start(
            name,
            binaries.pebble(),
            List.of(
                "-config",
                config.toString(),
                "-dnsserver",
                "127.0.0.1:" + dnsPort,
                "-strict=false"),
            logs,
            Map.of(
                "PEBBLE_WFE_NONCEREJECT", "0", "PEBBLE_VA_NOSLEEP", "1", "PEBBLE_AUTHZREUSE", "0"));
    var directory =
        new PebbleDirectory(
            name,
            port,
            managementPort,
            process,
            logs.resolve(name + ".log"),
            binaries.pebbleListenerRoot());
    Awaitility.await(name + " to serve its directory")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .failFast(process::checkAlive)
        .until(() -> directory.intermediate() != null);
    return directory;
  }

  /** The ACME directory URL, as an Issuer's spec.acme.server names it. */
  public String directoryUrl() {
    return "https://localhost:" + port + "/dir";
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  ComponentProcess process() {
    return process;
  }

  /**
   * The intermediate this instance signs leaf certificates with, generated at its start: a
   * certificate whose issuer is this subject came from this directory and no other.
   */
  public X509Certificate intermediate() {
    try {
      var trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (var pem = Files.newInputStream(listenerRoot)) {
        trust.setCertificateEntry(
            "pebble-minica", CertificateFactory.getInstance("X.509").generateCertificate(pem));
      }
      var trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      var tls = SSLContext.getInstance("TLS");
      tls.init(null, trustManagers.getTrustManagers(), null);
      var http = HttpClient.newBuilder().sslContext(tls).build();
      var body =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("https://localhost:" + managementPort + "/intermediates/0"))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray())
              .body();
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Orders placed on this directory since it started. */
  public long orders() {
    try (var lines = Files.lines(logFile)) {
      return lines.filter(l -> l.contains("Added order")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() {
    try (var socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
