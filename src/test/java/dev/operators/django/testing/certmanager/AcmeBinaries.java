package dev.operators.django.testing.certmanager;

import dev.operators.django.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The directory that {@code src/test/control-plane/cert-manager/build.sh} builds: cert-manager's
 * real controllers, pebble, pebble-challtestsrv and pebble's test certificates. Kept apart from the
 * Kubernetes binaries so that either side rebuilds alone.
 */
public record AcmeBinaries(Path directory) {
  private static AcmeBinaries built;

  /** Runs the build script once per JVM; a warm run costs a moment. */
  public static synchronized AcmeBinaries build() {
    if (built != null) {
      return built;
    }
    var script =
        Path.of(
            System.getProperty(
                "controlPlane.acmeScript", "src/test/control-plane/cert-manager/build.sh"));
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("ACME build script not found: " + script.toAbsolutePath());
    }
    built =
        new AcmeBinaries(
            Commands.lastLine(
                Commands.run(List.of("bash", script.toAbsolutePath().toString()), Map.of())));
    return built;
  }

  public Path certManagerControllers() {
    return directory.resolve("cert-manager-controllers");
  }

  public Path pebble() {
    return directory.resolve("pebble");
  }

  public Path challtestsrv() {
    return directory.resolve("pebble-challtestsrv");
  }

  /** The TLS certificate and key of pebble's directory listener (for localhost). */
  public Path pebbleListenerCertificate() {
    return directory.resolve("pebble-certs/cert.pem");
  }

  public Path pebbleListenerKey() {
    return directory.resolve("pebble-certs/key.pem");
  }

  /** The root that signed the listener certificate: the ClusterIssuers' caBundle. */
  public Path pebbleListenerRoot() {
    return directory.resolve("pebble-certs/pebble.minica.pem");
  }
}
