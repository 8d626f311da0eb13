package dev.operators.django.reconciler;

import static dev.operators.django.testing.Polls.TIMEOUT;
import static dev.operators.django.testing.Polls.awaitReady;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the operator must not do: write when nothing changed, take over or fight others. */
@WithCluster
class DjangoAppSafetyIT {

  // Reconcile every 2 seconds without events, so that "nothing happens" is observed many times.
  @RegisterExtension
  final OperatorExtension operator =
      new OperatorExtension().withEnv("RESYNC_INTERVAL_SECONDS", "2");

  @Test
  void reconcilingAnUpToDateAppWritesNothing(KubernetesClient client) {
    Polls.createSecrets(client);
    client.resource(Polls.app(client)).create();
    awaitReady(client, "polls");
    await().atMost(TIMEOUT).until(() -> settled(client));

    var running = operator.running();
    running.requests().reset();
    long before = running.reconciles();
    await().atMost(Duration.ofSeconds(20)).until(() -> running.reconciles() - before >= 3);
    assertThat(running.requests().writes())
        .as("writes during %s reconciles", running.reconciles() - before)
        .isEmpty();

    // A restarted operator resyncs every app from scratch: still nothing to write.
    var restarted = operator.restart();
    await().atMost(Duration.ofSeconds(20)).until(() -> restarted.reconciles() >= 3);
    assertThat(restarted.requests().writes()).isEmpty();
  }

  /**
   * The same with every kind of child: an autoscaled web (its HPA has raised the Deployment to
   * minReplicas), a PodDisruptionBudget, topology spread, a worker Deployment, a beat StatefulSet
   * and a CronJob.
   */
  @Test
  void reconcilingAnUpToDateAppWithEveryChildWritesNothing(KubernetesClient client) {
    Polls.createSecrets(client);
    var app = Polls.celery(client);
    app.getSpec().autoscaling.minReplicas = 3;
    client.resource(app).create();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(awaitReady(client, "polls").getStatus().readyReplicas).isEqualTo(3));
    await().atMost(TIMEOUT).until(() -> settled(client));
    assertThat(client.policy().v1().podDisruptionBudget().withName("polls").get()).isNotNull();
    assertThat(client.autoscaling().v2().horizontalPodAutoscalers().withName("polls").get())
        .isNotNull();
    assertThat(client.apps().statefulSets().withName("polls-beat").get()).isNotNull();
    assertThat(client.batch().v1().cronjobs().withName("polls-clearsessions").get()).isNotNull();

    var running = operator.running();
    running.requests().reset();
    long before = running.reconciles();
    await().atMost(Duration.ofSeconds(20)).until(() -> running.reconciles() - before >= 3);
    assertThat(running.requests().writes())
        .as("writes during %s reconciles", running.reconciles() - before)
        .isEmpty();

    var restarted = operator.restart();
    await().atMost(Duration.ofSeconds(20)).until(() -> restarted.reconciles() >= 3);
    assertThat(restarted.requests().writes()).isEmpty();
  }

  @Test
  void anExistingObjectWithAChildsNameIsLeftAloneAndReported(KubernetesClient client) {
    Polls.createSecrets(client);
    client
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("polls-settings")
                .endMetadata()
                .withData(Map.of("owner", "someone else"))
                .build())
        .create();

    client.resource(Polls.app(client)).create();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = client.resources(DjangoApp.class).withName("polls").get().getStatus();
              assertThat(status).isNotNull();
              var ready = Conditions.find(status.conditions, Conditions.READY).orElseThrow();
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("NameConflict");
              assertThat(ready.getMessage()).contains("ConfigMap polls-settings already exists");
              assertThat(Conditions.isTrue(status.conditions, Conditions.STALLED)).isTrue();
            });
    var theirs = client.configMaps().withName("polls-settings").get();
    assertThat(theirs.getData()).isEqualTo(Map.of("owner", "someone else"));
    assertThat(theirs.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(theirs.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(client.apps().deployments().withName("polls").get())
        .as("no Deployment without its configuration")
        .isNull();
    await().atMost(TIMEOUT).until(() -> hasEvent(client, "NameConflict"));

    client.configMaps().withName("polls-settings").delete();
    awaitReady(client, "polls");
  }

  @Test
  void autoscalerReplicasAndRolloutRestartsAreNotFought(KubernetesClient client) {
    Polls.createSecrets(client);
    var app = Polls.app(client);
    app.getSpec().replicas = null; // an HPA scales the Deployment
    client.resource(app).create();
    awaitReady(client, "polls");

    client.apps().deployments().withName("polls").scale(3);
    var restartedAt = Instant.now().toString();
    // What kubectl rollout restart sends.
    client
        .apps()
        .deployments()
        .withName("polls")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
                + "{\"kubectl.kubernetes.io/restartedAt\":\""
                + restartedAt
                + "\"}}}}}");
    await().atMost(TIMEOUT).until(() -> settled(client));

    var running = operator.running();
    var requests = running.requests();
    requests.reset();
    long before = running.reconciles();
    await().atMost(Duration.ofSeconds(20)).until(() -> running.reconciles() - before >= 3);
    var deployment = client.apps().deployments().withName("polls").get();
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("kubectl.kubernetes.io/restartedAt", restartedAt);
    assertThat(requests.writes()).isEmpty();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(DjangoApp.class)
                            .withName("polls")
                            .get()
                            .getStatus()
                            .readyReplicas)
                    .isEqualTo(3));
  }

  @Test
  void theScaleSubresourceScalesTheApp(KubernetesClient client) {
    Polls.createSecrets(client);
    client.resource(Polls.app(client)).create();
    awaitReady(client, "polls");

    client.resources(DjangoApp.class).withName("polls").scale(4);

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(
                      client.apps().deployments().withName("polls").get().getSpec().getReplicas())
                  .isEqualTo(4);
              var app = awaitReady(client, "polls");
              assertThat(app.getStatus().readyReplicas).isEqualTo(4);
            });
  }

  /** Each reconcile reads the referenced database Secret once. */
  /** The Deployment controller and kwok have finished, so status stops changing. */
  private static boolean settled(KubernetesClient client) {
    var app = client.resources(DjangoApp.class).withName("polls").get();
    var deployment = client.apps().deployments().withName("polls").get();
    return app.getStatus() != null
        && deployment.getStatus() != null
        && Conditions.isTrue(app.getStatus().conditions, Conditions.READY)
        && deployment.getStatus().getReplicas().equals(app.getStatus().replicas)
        && deployment.getStatus().getReplicas().equals(deployment.getStatus().getReadyReplicas());
  }

  private static boolean hasEvent(KubernetesClient client, String reason) {
    return client.v1().events().list().getItems().stream()
        .map(Event::getReason)
        .anyMatch(reason::equals);
  }
}
