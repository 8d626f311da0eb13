package dev.operators.django.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.DjangoOperator;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.Edits;
import dev.operators.django.testing.Kubectl;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.OperatorProcess;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.ServiceAccountKubeconfig;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two operator processes with leader election on a Lease: one reconciles; when it is killed
 * (SIGKILL, so it cannot release the Lease), the other takes over once the Lease expires; when it
 * is stopped (SIGTERM, as a rollout or a drain stops it), it exits at once with status 0 and
 * releases the Lease, and the other takes over within seconds. Both run as the operator's
 * ServiceAccount with a bound token, under the RBAC of {@code deploy/}, so the Lease lives where
 * that Role allows it: in the operator's namespace.
 */
@WithCluster
class LeaderElectionIT {
  private static final Logger log = LoggerFactory.getLogger(LeaderElectionIT.class);
  private static final String OPERATOR_NAMESPACE = "django-operator";

  /**
   * SIGTERM to exit, at most: stopping takes about a second (README, "Leader election"); the bound
   * leaves room for a slow machine and stays far below deploy/'s grace period.
   */
  static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(10);

  /**
   * SIGTERM to the standby holding the Lease, at most: the released Lease is free after 1 s, and
   * the standby tries every 2.1-4.7 s (the retry period, 15 s / 7, with fabric8's jitter).
   */
  static final Duration TAKEOVER_AFTER_SIGTERM_BOUND = Duration.ofSeconds(8);

  @Test
  void onlyTheLeaderReconcilesAndTheOtherTakesOverWhenItDies(
      KubernetesClient client, Cluster cluster, TestNamespace ns) {
    var kubeconfig = installAsOperator(client, cluster);
    var env = env(ns);
    try (var first =
        OperatorProcess.start(kubeconfig, "leader-a-" + ns.name(), env, List.of(), null)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> first.name().equals(holder(client)));
      try (var second =
          OperatorProcess.start(kubeconfig, "leader-b-" + ns.name(), env, List.of(), null)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> second.get("/healthz") != null);

        Polls.createSecrets(client);
        client.resource(Polls.app(client)).create();
        awaitReady(client, "docker.io/sammy/sammy-django:1.0.0");
        // The Ready Event is recorded just after the status it announces is written.
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> assertThat(first.log()).contains(ns.name() + "/polls: event Normal Ready"));
        assertThat(second.log()).doesNotContain(ns.name() + "/polls:");
        assertThat(holder(client)).isEqualTo(first.name());

        var killedAt = Instant.now();
        first.kill();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> second.name().equals(holder(client)));
        var takeover = Duration.between(killedAt, Instant.now());

        Edits.edit(
            client,
            "polls",
            app -> {
              app.getSpec().image = "docker.io/sammy/sammy-django:1.1.0";
              return app;
            });
        awaitReady(client, "docker.io/sammy/sammy-django:1.1.0");
        var reconciled = Duration.between(killedAt, Instant.now());
        log.info(
            "leader takeover: Lease moved {} ms after SIGKILL of the leader (lease duration"
                + " 15 s); the new leader rolled out a change {} ms after the kill",
            takeover.toMillis(),
            reconciled.toMillis());
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(second.log()).contains(ns.name() + "/polls:"));
      }
    } finally {
      client.leases().inNamespace(OPERATOR_NAMESPACE).withName(DjangoOperator.LEASE_NAME).delete();
    }
  }

  @Test
  void sigtermEndsTheLeaderPromptlyAndTheStandbyTakesOverAtOnce(
      KubernetesClient client, Cluster cluster, TestNamespace ns) {
    var kubeconfig = installAsOperator(client, cluster);
    var env = env(ns);
    try (var first =
        OperatorProcess.start(kubeconfig, "term-a-" + ns.name(), env, List.of(), null)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> first.name().equals(holder(client)));
      try (var second =
          OperatorProcess.start(kubeconfig, "term-b-" + ns.name(), env, List.of(), null)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> second.get("/healthz") != null);
        Polls.createSecrets(client);
        client.resource(Polls.app(client)).create();
        awaitReady(client, "docker.io/sammy/sammy-django:1.0.0");

        // The standby is timed from the signal: the leader's exit is awaited beside it, not first.
        var signalled = Instant.now();
        var exit = CompletableFuture.supplyAsync(() -> first.terminate(SHUTDOWN_BOUND));
        await(
                "the standby to hold the Lease within "
                    + TAKEOVER_AFTER_SIGTERM_BOUND
                    + " of SIGTERM")
            .atMost(TAKEOVER_AFTER_SIGTERM_BOUND)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> second.name().equals(holder(client)));
        var takeover = Duration.between(signalled, Instant.now());
        var termination = exit.join();
        assertThat(termination.exitStatus()).as("exit status after SIGTERM").isZero();
        log.info(
            "leader SIGTERM: the process exited with status {} {} ms after the signal; the"
                + " standby held the Lease {} ms after the signal",
            termination.exitStatus(),
            termination.took().toMillis(),
            takeover.toMillis());
        assertThat(first.log()).contains("released the Lease").doesNotContain("Exiting.");

        Edits.edit(
            client,
            "polls",
            app -> {
              app.getSpec().image = "docker.io/sammy/sammy-django:1.1.0";
              return app;
            });
        awaitReady(client, "docker.io/sammy/sammy-django:1.1.0");
      }
    } finally {
      client.leases().inNamespace(OPERATOR_NAMESPACE).withName(DjangoOperator.LEASE_NAME).delete();
    }
  }

  /** Installs the CRD and deploy/'s RBAC, and returns a kubeconfig of the ServiceAccount. */
  private static String installAsOperator(KubernetesClient client, Cluster cluster) {
    OperatorExtension.installCrd(cluster);
    Kubectl.run(
        cluster,
        "apply",
        "--server-side",
        "-f",
        "deploy/00-namespace.yaml",
        "-f",
        "deploy/10-rbac.yaml");
    var kubeconfig =
        ServiceAccountKubeconfig.of(cluster, client, OPERATOR_NAMESPACE, "django-operator");
    try (var asOperator =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
      var review =
          asOperator.authentication().v1().selfSubjectReviews().create(new SelfSubjectReview());
      assertThat(review.getStatus().getUserInfo().getUsername())
          .isEqualTo("system:serviceaccount:django-operator:django-operator");
    }
    return kubeconfig;
  }

  private static Map<String, String> env(TestNamespace ns) {
    return Map.of(
        "WATCH_NAMESPACES",
        ns.name(),
        "LEADER_ELECTION",
        "true",
        "LEADER_ELECTION_NAMESPACE",
        OPERATOR_NAMESPACE,
        "LOG_FORMAT",
        "text");
  }

  private static String holder(KubernetesClient client) {
    var lease =
        client.leases().inNamespace(OPERATOR_NAMESPACE).withName(DjangoOperator.LEASE_NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static void awaitReady(KubernetesClient client, String image) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              var app = client.resources(DjangoApp.class).withName("polls").get();
              assertThat(app.getStatus()).isNotNull();
              assertThat(Conditions.isTrue(app.getStatus().conditions, Conditions.READY)).isTrue();
              assertThat(app.getStatus().image).isEqualTo(image);
              assertThat(app.getStatus().observedGeneration)
                  .isEqualTo(app.getMetadata().getGeneration());
            });
  }
}
