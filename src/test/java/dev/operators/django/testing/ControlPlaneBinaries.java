package dev.operators.django.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of control-plane binaries built by {@code src/test/control-plane/build.sh}.
 *
 * <p>Maven runs the script before the integration tests; running it again here costs milliseconds
 * when everything is built, and lets a test started from an IDE build what is missing.
 */
public record ControlPlaneBinaries(Path directory) {
  private static final Logger log = LoggerFactory.getLogger(ControlPlaneBinaries.class);

  public static ControlPlaneBinaries build() {
    var script =
        Path.of(System.getProperty("controlPlane.script", "src/test/control-plane/build.sh"));
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException(
          "control-plane build script not found: "
              + script.toAbsolutePath()
              + " (run from the repository root, or set -DcontrolPlane.script)");
    }
    var binaries =
        new ControlPlaneBinaries(
            Commands.lastLine(
                Commands.run(List.of("bash", script.toAbsolutePath().toString()), Map.of())));
    log.debug("control-plane binaries in {}", binaries.directory());
    return binaries;
  }

  public Path etcd() {
    return directory.resolve("etcd");
  }

  public Path kubeApiserver() {
    return directory.resolve("kube-apiserver");
  }

  public Path kubeControllerManager() {
    return directory.resolve("kube-controller-manager");
  }

  public Path kubeScheduler() {
    return directory.resolve("kube-scheduler");
  }

  public Path kubectl() {
    return directory.resolve("kubectl");
  }

  public Path kwok() {
    return directory.resolve("kwok");
  }

  /** cert-manager's CRDs, from its Go module's deploy/crds. */
  public Path certManagerCrds() {
    return directory.resolve("cert-manager-crds");
  }

  /** kwok's stage configuration: node and pod lifecycles, as one multi-document file. */
  public Path kwokStages() {
    return directory.resolve("kwok-stages.yaml");
  }
}
