package dev.operators.django.testing;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the local control plane by hand and keeps it running until interrupted (Ctrl-C): {@code
 * ./mvnw test-compile exec:java@control-plane}. Prints the kubeconfig path to use with kubectl. The
 * first argument, if any, is the state directory.
 */
public final class LocalControlPlaneMain {
  private LocalControlPlaneMain() {}

  public static void main(String[] args) throws InterruptedException {
    var workDir =
        Path.of(args.length > 0 ? args[0] : "target/local-control-plane").toAbsolutePath();
    var binaries = ControlPlaneBinaries.build();
    var plane = LocalControlPlane.start(binaries, workDir);
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  plane.close();
                  stopped.countDown();
                },
                "stop-local-control-plane"));
    System.out.printf(
        """

        Local control plane is up: kube-apiserver %s, started in %d ms.
        kubeconfig: %s
        component logs: %s

          export KUBECONFIG=%s
          %s get nodes

        Press Ctrl-C to stop it.
        """,
        plane.serverVersion(),
        plane.startupTime().toMillis(),
        plane.kubeconfigFile(),
        plane.logDirectory(),
        plane.kubeconfigFile(),
        binaries.kubectl());
    System.out.flush();
    stopped.await();
  }
}
