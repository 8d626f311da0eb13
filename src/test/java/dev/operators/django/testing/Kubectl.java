package dev.operators.django.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** Runs the built kubectl against a cluster, as a user would (printer columns, explain). */
public final class Kubectl {
  private Kubectl() {}

  public static String run(Cluster cluster, String... args) {
    try {
      var kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
      try {
        Files.writeString(kubeconfig, cluster.kubeconfigYaml());
        var command = new ArrayList<String>();
        command.add(ControlPlaneBinaries.build().kubectl().toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
          throw new IllegalStateException("kubectl " + String.join(" ", args) + ": " + output);
        }
        return output;
      } finally {
        Files.deleteIfExists(kubeconfig);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
