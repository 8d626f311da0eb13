package dev.operators.django.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.DjangoOperator;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.reconciler.Conditions;
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
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two operator processes with leader election on a Lease: one reconciles; when it is killed
 * (SIGKILL, so it cannot release the Lease), the other takes over once the Lease expires. Both run
 * as the operator's ServiceAccount with a bound token, under the RBAC of {@code deploy/}, so the
 * Lease lives where that Role allows it: in the operator's namespace.
 */
@WithCluster
class LeaderElectionIT {
  private static final Logger log = LoggerFactory.getLogger(LeaderElectionIT.class);
  private static final String OPERATOR_NAMESPACE = "django-operator";

  @Test
  void onlyTheLeaderReconcilesAndTheOtherTakesOverWhenItDies(KubernetesClient client,
      Cluster cluster, TestNamespace ns) {
    OperatorExtension.installCrd(cluster);
    Kubectl.run(cluster, "apply", "--server-side", "-f", "deploy/00-namespace.yaml",
        "-f", "deploy/10-rbac.yaml");
    var kubeconfig = ServiceAccountKubeconfig.of(cluster, client, OPERATOR_NAMESPACE,
        "django-operator");
    try (var asOperator = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
      var review = asOperator.authentication().v1().selfSubjectReviews()
          .create(new SelfSubjectReview());
      assertThat(review.getStatus().getUserInfo().getUsername())
          .isEqualTo("system:serviceaccount:django-operator:django-operator");
    }
    var env = Map.of(
        "WATCH_NAMESPACES", ns.name(),
        "LEADER_ELECTION", "true",
        "LEADER_ELECTION_NAMESPACE", OPERATOR_NAMESPACE,
        "LOG_FORMAT", "text");
    try (var first = OperatorProcess.start(kubeconfig, "leader-a-" + ns.name(), env, List.of(),
        null)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> first.name().equals(holder(client)));
      try (var second = OperatorProcess.start(kubeconfig, "leader-b-" + ns.name(), env,
          List.of(), null)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> second.get("/healthz") != null);

        Polls.createSecrets(client);
        client.resource(Polls.app(client)).create();
        awaitReady(client, "docker.io/sammy/sammy-django:1.0.0");
        // The Ready Event is recorded just after the status it announces is written.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(first.log()).contains(ns.name() + "/polls: event Normal Ready"));
        assertThat(second.log()).doesNotContain(ns.name() + "/polls:");
        assertThat(holder(client)).isEqualTo(first.name());

        var killedAt = Instant.now();
        first.kill();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> second.name().equals(holder(client)));
        var takeover = Duration.between(killedAt, Instant.now());

        Edits.edit(client, "polls", app -> {
          app.getSpec().image = "docker.io/sammy/sammy-django:1.1.0";
          return app;
        });
        awaitReady(client, "docker.io/sammy/sammy-django:1.1.0");
        var reconciled = Duration.between(killedAt, Instant.now());
        log.info("leader takeover: Lease moved {} ms after SIGKILL of the leader (lease duration"
            + " 15 s); the new leader rolled out a change {} ms after the kill",
            takeover.toMillis(), reconciled.toMillis());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(second.log()).contains(ns.name() + "/polls:"));
      }
    } finally {
      client.leases().inNamespace(OPERATOR_NAMESPACE).withName(DjangoOperator.LEASE_NAME).delete();
    }
  }

  private static String holder(KubernetesClient client) {
    var lease = client.leases().inNamespace(OPERATOR_NAMESPACE).withName(DjangoOperator.LEASE_NAME)
        .get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static void awaitReady(KubernetesClient client, String image) {
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      var app = client.resources(DjangoApp.class).withName("polls").get();
      assertThat(app.getStatus()).isNotNull();
      assertThat(Conditions.isTrue(app.getStatus().conditions, Conditions.READY)).isTrue();
      assertThat(app.getStatus().image).isEqualTo(image);
      assertThat(app.getStatus().observedGeneration).isEqualTo(app.getMetadata().getGeneration());
    });
  }
}
