package dev.operators.django.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.WithRealNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pods that a real kubelet cannot start are named on the app, with the kubelet's own reason and
 * message, and the app is Stalled: no "Migrating" for the Job's whole deadline.
 */
@WithRealNode
class WorkloadFailuresIT {
  private static final Logger log = LoggerFactory.getLogger(WorkloadFailuresIT.class);
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  @RegisterExtension final OperatorExtension operator = new OperatorExtension();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      missing image   | registry.test/djangotest:missing | true  |                    | ImagePullBackOff,ErrImagePull | Job polls-migrate-
      root image      | registry.test/djangotest:v1-root | true  |                    | CreateContainerConfigError    | container has runAsNonRoot and image will run as root
      crashing web    | registry.test/djangotest:v1      | false | no.such.settings   | CrashLoopBackOff              | (ReplicaSet polls-
      """)
  void podsThatCannotStartAreNamedOnTheApp(
      String name,
      String image,
      boolean migrations,
      String settingsModule,
      String reasons,
      String messagePart,
      KubernetesClient client) {
    client
        .resource(
            """
        apiVersion: django.operators.dev/v1alpha1
        kind: DjangoApp
        metadata: {name: polls}
        spec:
          image: %s
          replicas: 1
          migrations: {enabled: %s}
          probes: {httpPath: /healthz}
          database: {engine: sqlite3, name: /tmp/db.sqlite3}
          settings: {env: {DJANGO_SETTINGS_MODULE: %s}}
          resources: {requests: {cpu: 50m, memory: 128Mi}, limits: {memory: 384Mi}}
        """
                .formatted(
                    image, migrations, settingsModule == null ? "mysite.settings" : settingsModule))
        .create();
    var created = Instant.now();

    var ready =
        await()
            .atMost(TIMEOUT)
            .until(() -> readyCondition(client), c -> c != null && reasons.contains(c.getReason()));
    log.info(
        "{}: reported {} s after creation: {}: {}",
        name,
        Duration.between(created, Instant.now()).toSeconds(),
        ready.getReason(),
        ready.getMessage());
    assertThat(ready.getMessage()).startsWith("Pod polls-").contains(messagePart);
    var status = client.resources(DjangoApp.class).withName("polls").get().getStatus();
    assertThat(Conditions.isTrue(status.conditions, Conditions.STALLED)).isTrue();
    assertThat(Conditions.isTrue(status.conditions, Conditions.RECONCILING)).isFalse();
  }

  private static Condition readyCondition(KubernetesClient client) {
    DjangoAppStatus status = client.resources(DjangoApp.class).withName("polls").get().getStatus();
    return status == null
        ? null
        : Conditions.find(status.conditions, Conditions.READY).orElse(null);
  }
}
