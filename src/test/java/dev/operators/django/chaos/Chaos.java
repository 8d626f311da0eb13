package dev.operators.django.chaos;

import dev.operators.django.testing.ControlPlaneBinaries;
import dev.operators.django.testing.LocalControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code ./mvnw -Pchaos}: the chaos run on a fresh local control plane with an audit log; prints
 * the invariants and the figures, writes them to target/chaos/report.txt, and fails (so does the
 * build) if an invariant does not hold. Options (system properties): {@code chaos.apps} (200),
 * {@code chaos.namespaces} (4), {@code chaos.kills} (10), {@code chaos.seed} (random), {@code
 * chaos.pauseSeconds} (25), {@code chaos.apiServerDownSeconds} (8).
 */
public final class Chaos {
  private Chaos() {}

  public static void main(String[] args) throws Exception {
    var settings =
        new ChaosRun.Settings(
            Integer.getInteger("chaos.apps", 200),
            Integer.getInteger("chaos.namespaces", 4),
            Integer.getInteger("chaos.kills", 10),
            Long.getLong("chaos.seed", System.nanoTime() % 100_000),
            Duration.ofSeconds(Long.getLong("chaos.pauseSeconds", 25)),
            Duration.ofSeconds(Long.getLong("chaos.apiServerDownSeconds", 8)),
            Duration.ofMinutes(20));
    var dir = Files.createDirectories(Path.of("target/chaos"));
    var plane =
        LocalControlPlane.start(
            ControlPlaneBinaries.build(), dir.resolve("control-plane").toAbsolutePath(), true);
    ChaosReport report;
    try (var admin = plane.client("default")) {
      report = new ChaosRun(plane, admin, settings).run();
    } finally {
      plane.close();
    }
    System.out.print(report.text());
    Files.writeString(dir.resolve("report.txt"), report.text());
    if (!report.holds()) {
      throw new IllegalStateException("an invariant of the chaos run does not hold (above)");
    }
  }
}
