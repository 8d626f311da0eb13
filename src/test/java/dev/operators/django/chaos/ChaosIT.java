package dev.operators.django.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.testing.ControlPlaneBinaries;
import dev.operators.django.testing.LocalControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos run, small: 4 apps, 2 kills of the leader (one of them of both replicas), a SIGTERM, a
 * SIGSTOP longer than the Lease and a kube-apiserver restart. It needs its own control plane: the
 * shared one keeps no audit log, and its API server is not to be killed under other tests.
 */
class ChaosIT {
  private static final Logger log = LoggerFactory.getLogger(ChaosIT.class);

  @Test
  void theInvariantsHoldUnderKillsSigtermPauseAndAnApiServerRestart() throws Exception {
    var settings =
        new ChaosRun.Settings(
            4, 2, 2, 17, Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofMinutes(5));
    var plane =
        LocalControlPlane.start(
            ControlPlaneBinaries.build(), Path.of("target/chaos-it").toAbsolutePath(), true);
    try (var admin = plane.client("default")) {
      var report = new ChaosRun(plane, admin, settings).run();
      log.info("\n{}", report.text());
      assertThat(report.invariants())
          .allSatisfy(i -> assertThat(i.holds()).as(i.name() + ": " + i.detail()).isTrue());
      var figures = report.figures();
      assertThat(figures.sigterm.exitStatus()).isZero();
      assertThat(figures.sigterm.took()).isLessThanOrEqualTo(ChaosRun.SHUTDOWN_BOUND);
      // The leader releases the Lease within about a second of the signal; the standby tries
      // every 2.1-4.7 s (15 s / 7, with fabric8's jitter). Counted from the signal, as
      // LeaderElectionIT counts it.
      assertThat(figures.sigtermTakeover)
          .as("standby leads after the SIGTERM of the leader")
          .isLessThanOrEqualTo(Duration.ofSeconds(8));
      assertThat(figures.pausedExitStatus).as("the paused leader exits once it wakes").isOne();
    } finally {
      plane.close();
    }
  }
}
