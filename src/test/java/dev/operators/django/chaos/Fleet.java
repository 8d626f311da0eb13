package dev.operators.django.chaos;

import static org.awaitility.Awaitility.await;

import dev.operators.django.DjangoOperator;
import dev.operators.django.testing.OperatorProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The two operator replicas, as a Deployment with two pods keeps them: a replica that died is
 * replaced by a new process with a new name (a new pod), and the test asks which one holds the
 * Lease by reading the Lease, as an administrator would.
 */
final class Fleet implements AutoCloseable {
  static final String NAMESPACE = "django-operator";
  static final String SERVICE_ACCOUNT = "django-operator";

  /** The user every replica authenticates as (deploy/'s ServiceAccount). */
  static final String USER = "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT;

  private final KubernetesClient admin;
  private final String kubeconfig;
  private final Map<String, String> env;
  private final List<OperatorProcess> replicas = new ArrayList<>();
  private final List<OperatorProcess> ended = new ArrayList<>();
  private int started;

  Fleet(KubernetesClient admin, String kubeconfig, Map<String, String> env) {
    this.admin = admin;
    this.kubeconfig = kubeconfig;
    this.env = env;
  }

  synchronized OperatorProcess start() {
    var replica = OperatorProcess.start(kubeconfig, "chaos-" + (++started), env, List.of(), null);
    replicas.add(replica);
    return replica;
  }

  /** Replaces every replica that has exited, until there are two. */
  synchronized void replaceEnded() {
    for (var replica : List.copyOf(replicas)) {
      if (!replica.isAlive()) {
        replicas.remove(replica);
        ended.add(replica);
      }
    }
    while (replicas.size() < 2) {
      start();
    }
  }

  /** The holder's name in the Lease, or null when there is none or it was released. */
  String holder() {
    var lease = admin.leases().inNamespace(NAMESPACE).withName(DjangoOperator.LEASE_NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  synchronized Optional<OperatorProcess> replica(String name) {
    return replicas.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** Waits until a live replica holds the Lease, and returns it. */
  OperatorProcess awaitLeader(Duration timeout) {
    return await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                replica(Objects.toString(holder(), ""))
                    .filter(OperatorProcess::isAlive)
                    .orElse(null),
            Objects::nonNull);
  }

  /** Waits until a replica other than {@code old} holds the Lease; returns the time it took. */
  Duration awaitTakeoverFrom(String old, long sinceNanos, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              var holder = holder();
              return holder != null && !holder.equals(old);
            });
    return Duration.ofNanos(System.nanoTime() - sinceNanos);
  }

  synchronized List<OperatorProcess> live() {
    return List.copyOf(replicas);
  }

  synchronized List<OperatorProcess> all() {
    var all = new ArrayList<>(ended);
    all.addAll(replicas);
    return all;
  }

  @Override
  public void close() {
    for (var replica : live()) {
      replica.close();
    }
  }
}
