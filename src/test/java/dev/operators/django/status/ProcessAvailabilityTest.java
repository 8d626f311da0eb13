package dev.operators.django.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.api.ProcessSpec;
import dev.operators.django.testing.TestApps;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProcessAvailabilityTest {
  static final Clock T0 = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

  static DjangoApp app() {
    var app = TestApps.polls();
    var worker = new ProcessSpec();
    worker.name = "worker";
    worker.command = List.of("celery", "worker");
    worker.replicas = 2;
    var beat = new ProcessSpec();
    beat.name = "beat";
    beat.command = List.of("celery", "beat");
    beat.singleton = true;
    app.getSpec().processes = List.of(worker, beat);
    return app;
  }

  static Deployment worker(
      int desired, int ready, boolean available, long generation, long observed) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("polls-worker")
        .withGeneration(generation)
        .endMetadata()
        .withNewSpec()
        .withReplicas(desired)
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withImage("img:1")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(observed)
        .withReplicas(desired)
        .withUpdatedReplicas(desired)
        .withReadyReplicas(ready)
        .withAvailableReplicas(ready)
        .addNewCondition()
        .withType("Available")
        .withStatus(available ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  static StatefulSet beat(int ready, String current, String update) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName("polls-beat")
        .withGeneration(1L)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withImage("img:1")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(1L)
        .withReplicas(1)
        .withReadyReplicas(ready)
        .withCurrentRevision(current)
        .withUpdateRevision(update)
        .endStatus()
        .build();
  }

  /** The status of {@link #app()} whose web is Ready, with these processes' children. */
  static DjangoAppStatus withReadyWeb(Workers workers) {
    var web = StatusAggregatorTest.deployment(2, 2, 2, 2, 2, true, null);
    var observation =
        new StatusAggregator.Facts(app(), web, StatusAggregatorTest.FOUND, List.of())
            .withWorkers(workers);
    return StatusAggregator.aggregate(observation, T0);
  }

  /** worker, beat -> summary, ProcessesAvailable, Ready's reason (web Ready before). */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "all running",
            worker(2, 2, true, 1, 1),
            beat(1, "a", "a"),
            "worker 2/2, beat 1/1",
            true,
            "Ready"),
        Arguments.of(
            "worker short of a pod, still available",
            worker(2, 1, true, 1, 1),
            beat(1, "a", "a"),
            "worker 1/2, beat 1/1",
            true,
            "RollingOut"),
        Arguments.of(
            "worker down",
            worker(2, 0, false, 1, 1),
            beat(1, "a", "a"),
            "worker 0/2, beat 1/1",
            false,
            "ProcessUnavailable"),
        Arguments.of(
            "beat being replaced",
            worker(2, 2, true, 1, 1),
            beat(0, "a", "b"),
            "worker 2/2, beat 0/1",
            false,
            "ProcessUnavailable"),
        Arguments.of(
            "worker spec not observed",
            worker(2, 2, true, 2, 1),
            beat(1, "a", "a"),
            "worker 2/2, beat 1/1",
            true,
            "RollingOut"),
        Arguments.of(
            "nothing created yet",
            null,
            null,
            "worker 0/0, beat 0/0",
            false,
            "ProcessUnavailable"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void processes(
      String name,
      Deployment worker,
      StatefulSet beat,
      String summary,
      boolean available,
      String readyReason) {
    var status =
        withReadyWeb(
            Workers.processes(
                worker == null ? List.of() : List.of(worker),
                beat == null ? List.of() : List.of(beat),
                List.of()));
    assertThat(status.processSummary).isEqualTo(summary);
    assertThat(status.processes).extracting(p -> p.name).containsExactly("worker", "beat");
    assertThat(status.processes)
        .extracting(p -> p.kind)
        .containsExactly("Deployment", "StatefulSet");
    assertThat(Conditions.isTrue(status.conditions, ProcessAvailability.PROCESSES_AVAILABLE))
        .isEqualTo(available);
    var ready = Conditions.find(status.conditions, Conditions.READY).orElseThrow();
    assertThat(ready.getReason()).isEqualTo(readyReason);
    assertThat(status.conditions.get(0)).isSameAs(ready);
    if (!"Ready".equals(readyReason)) {
      assertThat(ready.getMessage()).startsWith("Process ");
    }
  }

  @Test
  void anUnavailableProcessSaysWhyItsPodsCannotStart() {
    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("polls-worker-abc")
            .addToLabels("django.operators.dev/process", "worker")
            .endMetadata()
            .withNewStatus()
            .addNewContainerStatus()
            .withName("django")
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .withMessage("back-off 5m0s")
            .endWaiting()
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();
    var status =
        withReadyWeb(
            Workers.processes(
                List.of(worker(2, 0, false, 1, 1)), List.of(beat(1, "a", "a")), List.of(pod)));
    var condition =
        Conditions.find(status.conditions, ProcessAvailability.PROCESSES_AVAILABLE).orElseThrow();
    assertThat(condition.getMessage())
        .contains(
            "Process worker: 0 of 2 updated pods available.",
            "Pod polls-worker-abc",
            "CrashLoopBackOff");
    assertThat(condition.getMessage()).doesNotContain("Process beat");
  }
}
