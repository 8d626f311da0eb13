package dev.operators.django.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.Problem;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadFailuresTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // waiting reason              | init? | reported reason
        "ErrImagePull                  | false | ErrImagePull",
        "ImagePullBackOff              | false | ImagePullBackOff",
        "InvalidImageName              | false | InvalidImageName",
        "ErrImageNeverPull             | false | ErrImageNeverPull",
        "CreateContainerConfigError    | false | CreateContainerConfigError",
        "CreateContainerError          | false | CreateContainerError",
        "CrashLoopBackOff              | false | CrashLoopBackOff",
        "CrashLoopBackOff              | true  | CrashLoopBackOff",
        "RunContainerError             | false | RunContainerError",
        "ContainerCreating             | false | -",
        "PodInitializing               | false | -",
      })
  void aWaitingContainerIsAFailureOnlyForReasonsNoRetryFixes(
      String reason, boolean init, String reported) {
    var pod = pod("polls-migrate-abc-x1", reason, "the kubelet's message", init);

    assertThat(WorkloadFailures.ofPod(pod).map(Problem::reason).orElse(null)).isEqualTo(reported);
  }

  @Test
  void theMessageNamesThePodItsOwnerAndContainerAndQuotesTheKubelet() {
    var failure =
        WorkloadFailures.ofPod(
                pod(
                    "polls-migrate-abc-x1",
                    "CreateContainerConfigError",
                    "container has runAsNonRoot and image will run as root",
                    false))
            .orElseThrow();

    assertThat(failure.message())
        .isEqualTo(
            "Pod polls-migrate-abc-x1 (Job polls-migrate-abc),"
                + " container django: CreateContainerConfigError: container has runAsNonRoot and image"
                + " will run as root");
  }

  @Test
  void theFirstFailingPodByNameIsReportedThenTheReplicaSet() {
    var deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("polls")
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("ReplicaFailure")
            .withStatus("True")
            .withReason("FailedCreate")
            .withMessage("pods \"polls-1\" is forbidden: exceeded quota")
            .endCondition()
            .endStatus()
            .build();

    assertThat(
            WorkloadFailures.of(
                    List.of(
                        pod("b", "CrashLoopBackOff", "back-off", false),
                        pod("a", "ImagePullBackOff", "pull", false)),
                    deployment)
                .orElseThrow()
                .reason())
        .isEqualTo("ImagePullBackOff");
    assertThat(
            WorkloadFailures.of(List.of(pod("a", "ContainerCreating", "", false)), deployment)
                .orElseThrow()
                .message())
        .isEqualTo("Deployment polls: pods \"polls-1\" is forbidden: exceeded quota");
    assertThat(WorkloadFailures.of(List.of(), null)).isEmpty();
  }

  @Test
  void aPodBeingDeletedIsNoFailure() {
    var pod = pod("a", "CrashLoopBackOff", "back-off", false);
    pod.getMetadata().setDeletionTimestamp("2026-12-02T10:00:00Z");
    assertThat(WorkloadFailures.ofPod(pod)).isEmpty();
  }

  @Test
  void theReducedCacheCopyKeepsWhatTheFailureNeeds() {
    var pod = pod("polls-migrate-abc-x1", "ImagePullBackOff", "Back-off pulling image", false);
    var before = WorkloadFailures.ofPod(pod);

    var reduced = PodWatch.reduce(pod);
    assertThat(reduced.getSpec()).isNull();
    assertThat(WorkloadFailures.ofPod(reduced)).isEqualTo(before);
  }

  static Pod pod(String name, String reason, String message, boolean init) {
    var container =
        new ContainerStatusBuilder()
            .withName("django")
            .withNewState()
            .withNewWaiting()
            .withReason(reason)
            .withMessage(message)
            .endWaiting()
            .endState()
            .withImageID("sha256:x")
            .build();
    var builder =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .addNewOwnerReference()
            .withKind("Job")
            .withName("polls-migrate-abc")
            .endOwnerReference()
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("django")
            .withImage("app:1")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .endStatus();
    var pod = builder.build();
    if (init) {
      pod.getStatus().setInitContainerStatuses(List.of(container));
    } else {
      pod.getStatus().setContainerStatuses(List.of(container));
    }
    return pod;
  }
}
