package dev.operators.django.testing;

import dev.operators.django.DjangoOperator;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether another django-operator runs in the cluster: a Lease named {@value
 * DjangoOperator#LEASE_NAME}, in any namespace, that its holder renewed within its duration. Two
 * operators on the same apps fight over them, so {@code ./mvnw -Prun} refuses to start then.
 */
final class LeaseCheck {
  private LeaseCheck() {}

  /** "namespace/name held by X, renewed N s ago" of a Lease in force, or empty. */
  static Optional<String> heldBy(List<Lease> leases, Instant now) {
    for (var lease : leases) {
      var spec = lease.getSpec();
      if (spec == null
          || spec.getHolderIdentity() == null
          || spec.getHolderIdentity().isEmpty()
          || spec.getRenewTime() == null) {
        continue;
      }
      var renewed = spec.getRenewTime().toInstant();
      var duration =
          Duration.ofSeconds(
              spec.getLeaseDurationSeconds() != null ? spec.getLeaseDurationSeconds() : 15);
      if (renewed.plus(duration).isAfter(now)) {
        return Optional.of(
            "the Lease %s/%s is held by %s (renewed %d s ago)"
                .formatted(
                    lease.getMetadata().getNamespace(),
                    lease.getMetadata().getName(),
                    spec.getHolderIdentity(),
                    Math.max(0, Duration.between(renewed, now).toSeconds())));
      }
    }
    return Optional.empty();
  }

  /**
   * The operators' Leases in the cluster; empty with a warning when this user may not list them.
   */
  static List<Lease> find(KubernetesClient client) {
    try {
      return client
          .leases()
          .inAnyNamespace()
          .withField("metadata.name", DjangoOperator.LEASE_NAME)
          .list()
          .getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      System.out.println(
          "Warning: you may not list Leases, so whether another django-operator runs here"
              + " cannot be checked.");
      return List.of();
    }
  }
}
