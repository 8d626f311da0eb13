package dev.operators.django.status;

import dev.operators.django.api.Problem;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Why the app's pods cannot start, in the kubelet's or the controllers' own words: a pure function
 * of the app's pods and Deployment, tested as a table.
 *
 * <p>Only what a person must fix counts: an image that cannot be pulled or is not a valid
 * reference, a container that cannot be configured (a missing key, a root image under
 * runAsNonRoot), one that keeps crashing, and pods the ReplicaSet cannot create. A pod that is
 * merely starting, or a pull that is still under way, is not a failure.
 */
public final class WorkloadFailures {
  /** Waiting reasons of the kubelet that no retry fixes. */
  static final Set<String> WAITING =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "ErrImageNeverPull",
          "CreateContainerConfigError",
          "CreateContainerError",
          "CrashLoopBackOff",
          "RunContainerError");

  private WorkloadFailures() {}

  /** The first failure among the pods (by name) and the Deployment's ReplicaSet, if any. */
  public static Optional<Problem> of(Collection<Pod> pods, Deployment deployment) {
    return Stream.concat(
            pods.stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .map(WorkloadFailures::ofPod)
                .flatMap(Optional::stream),
            replicaFailure(deployment).stream())
        .findFirst();
  }

  /** A pod's failure: its first container (init containers first) waiting for a bad reason. */
  public static Optional<Problem> ofPod(Pod pod) {
    if (pod.getStatus() == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    var status = pod.getStatus();
    return Stream.of(status.getInitContainerStatuses(), status.getContainerStatuses())
        .filter(Objects::nonNull)
        .flatMap(List::stream)
        .filter(WorkloadFailures::failing)
        .findFirst()
        .map(
            container ->
                new Problem(
                    container.getState().getWaiting().getReason(),
                    "Pod "
                        + pod.getMetadata().getName()
                        + owner(pod)
                        + ", container "
                        + container.getName()
                        + ": "
                        + container.getState().getWaiting().getReason()
                        + (container.getState().getWaiting().getMessage() == null
                            ? ""
                            : ": " + container.getState().getWaiting().getMessage())));
  }

  private static boolean failing(ContainerStatus container) {
    return container.getState() != null
        && container.getState().getWaiting() != null
        && WAITING.contains(container.getState().getWaiting().getReason());
  }

  private static String owner(Pod pod) {
    return pod.getMetadata().getOwnerReferences().stream()
        .findFirst()
        .map(owner -> " (" + owner.getKind() + " " + owner.getName() + ")")
        .orElse("");
  }

  /** The ReplicaSet could not create pods (quota, admission): the Deployment says so. */
  private static Optional<Problem> replicaFailure(Deployment deployment) {
    if (deployment == null
        || deployment.getStatus() == null
        || deployment.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return deployment.getStatus().getConditions().stream()
        .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst()
        .map(
            c ->
                new Problem(
                    Objects.requireNonNullElse(c.getReason(), "FailedCreate"),
                    "Deployment "
                        + deployment.getMetadata().getName()
                        + ": "
                        + Objects.requireNonNullElse(c.getMessage(), "cannot create pods")));
  }
}
