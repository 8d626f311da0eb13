package dev.operators.django.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.util.Objects;
import java.util.Optional;

/** What the status reads of a Deployment's own status: pure functions. */
final class WebDeployment {
  private WebDeployment() {}

  /** Empty when the Deployment runs its current template everywhere; else what is pending. */
  static Optional<String> rolloutInProgress(Deployment deployment) {
    if (deployment == null) {
      return Optional.of("The Deployment has not been created yet.");
    }
    var status = deployment.getStatus();
    if (status == null
        || status.getObservedGeneration() == null
        || status.getObservedGeneration() < deployment.getMetadata().getGeneration()) {
      return Optional.of("The Deployment controller has not observed the latest spec yet.");
    }
    int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
    int updated = Objects.requireNonNullElse(status.getUpdatedReplicas(), 0);
    int total = Objects.requireNonNullElse(status.getReplicas(), 0);
    int availableReplicas = Objects.requireNonNullElse(status.getAvailableReplicas(), 0);
    if (updated < desired) {
      return Optional.of(updated + " of " + desired + " pods updated.");
    }
    if (total > updated) {
      return Optional.of((total - updated) + " old pods pending termination.");
    }
    if (availableReplicas < updated) {
      return Optional.of(availableReplicas + " of " + updated + " updated pods available.");
    }
    return Optional.empty();
  }

  static Optional<DeploymentCondition> condition(Deployment deployment, String type) {
    if (deployment == null
        || deployment.getStatus() == null
        || deployment.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return deployment.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }
}
