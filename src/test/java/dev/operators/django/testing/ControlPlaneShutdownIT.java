package dev.operators.django.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A control plane started by a JVM that is then killed with SIGKILL (no shutdown hook runs) leaves
 * no component running: the watchdogs stop them.
 */
class ControlPlaneShutdownIT {

  @Test
  void killingTheJvmStopsEveryComponent() throws IOException {
    var binaries = ControlPlaneBinaries.build();
    var workDir = Path.of("target/control-plane-shutdown-it").toAbsolutePath();
    Files.createDirectories(workDir);
    var output = workDir.resolve("main.out");
    var java = ProcessHandle.current().info().command().orElseThrow();
    var jvm =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-DcontrolPlane.script="
                    + System.getProperty("controlPlane.script", "src/test/control-plane/build.sh"),
                LocalControlPlaneMain.class.getName(),
                workDir.resolve("state").toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofMinutes(3))
          .failFast("the control plane JVM exited", () -> !jvm.isAlive())
          .until(() -> Files.readString(output).contains("kubeconfig:"));
      List<ProcessHandle> components =
          jvm.descendants()
              .filter(
                  p -> p.info().command().orElse("").startsWith(binaries.directory().toString()))
              .toList();
      assertThat(components)
          .extracting(p -> Path.of(p.info().command().orElseThrow()).getFileName().toString())
          .containsExactlyInAnyOrder(
              "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok");

      jvm.destroyForcibly();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> components.stream().noneMatch(ControlPlaneShutdownIT::isRunning));
    } finally {
      jvm.destroyForcibly();
    }
  }

  /**
   * Running, as opposed to exited. An exited child of a killed JVM is re-parented to PID 1, and
   * where PID 1 does not reap (some sandboxes) it stays a zombie, which holds no resources.
   */
  private static boolean isRunning(ProcessHandle process) {
    var stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      return process.isAlive(); // no procfs (macOS): zombies are reaped by launchd there
    }
    try {
      var fields = Files.readString(stat);
      var state = fields.charAt(fields.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException gone) {
      return false;
    }
  }
}
