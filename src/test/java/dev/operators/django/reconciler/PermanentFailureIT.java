package dev.operators.django.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.Edits;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write the API server refuses for a reason no retry can fix is reported once, as Stalled with
 * the API server's message, and not retried in a loop.
 */
@WithCluster
class PermanentFailureIT {
  private static final Logger log = LoggerFactory.getLogger(PermanentFailureIT.class);
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension final OperatorExtension operator = new OperatorExtension();

  @Test
  void aRefusedWriteIsStalledWithTheApiServersMessageAndNotRetried(KubernetesClient client) {
    // A quantity only the API server checks (the CRD cannot, within its CEL cost budget).
    client
        .resource(
            """
        apiVersion: django.operators.dev/v1alpha1
        kind: DjangoApp
        metadata: {name: polls}
        spec:
          image: registry.example.com/polls:1.0
          migrations: {enabled: false}
          resources: {requests: {memory: 12 GB}}
        """)
        .create();

    var status =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> client.resources(DjangoApp.class).withName("polls").get().getStatus(),
                s -> s != null && Conditions.isTrue(s.conditions, Conditions.STALLED));
    var ready = Conditions.find(status.conditions, Conditions.READY).orElseThrow();
    assertThat(ready.getReason()).isEqualTo("ApplyFailed");
    assertThat(ready.getMessage())
        .startsWith("Deployment polls could not be applied: ")
        .contains("quantities must match the regular expression")
        .contains("Fix the DjangoApp's spec");
    assertThat(status.observedGeneration).isEqualTo(1L);

    // Events, resyncs and rechecks go on; the refused write is not sent on each of them.
    operator.running().requests().reset();
    var writes =
        await()
            .pollDelay(Duration.ofSeconds(20))
            .atMost(Duration.ofSeconds(25))
            .until(() -> operator.running().requests().writes(), w -> true);
    log.info(
        "Deployment writes in 20 s of a refused write: {}",
        writes.stream().filter(w -> w.contains("/deployments/")).count());
    // Rechecks while stalled: 10 s, then as long as it has been stalled. Each attempt is one
    // request and at most 2 retries: fabric8's default of 10 retries sent 8 in this window.
    assertThat(writes.stream().filter(w -> w.contains("/deployments/")))
        .as("Deployment writes in 20 s")
        .hasSizeLessThanOrEqualTo(6);

    Edits.edit(
        client,
        "polls",
        app -> {
          app.getSpec().resources.getRequests().put("memory", new Quantity("256Mi"));
          return app;
        });
    await()
        .atMost(TIMEOUT)
        .until(
            () -> client.apps().deployments().withName("polls").get(),
            deployment -> deployment != null);
  }
}
