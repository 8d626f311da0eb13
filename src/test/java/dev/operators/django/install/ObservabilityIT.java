package dev.operators.django.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.EnvFromSpec;
import dev.operators.django.api.SecretKeySpec;
import dev.operators.django.api.SuperuserSpec;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.OperatorProcess;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WithCluster;
import dev.operators.django.testing.certmanager.CertManagerCrds;
import dev.operators.django.testing.certmanager.IssuanceLedger;
import dev.operators.django.testing.certmanager.RealCertManager;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator, as its own process: metrics and health endpoints, JSON logs that name the
 * resource, and no secret value anywhere it writes, even at DEBUG.
 */
@WithCluster
class ObservabilityIT {
  @AfterAll
  static void pauseCertManager() {
    RealCertManager.pauseShared();
  }

  @Test
  void secretValuesNeverReachLogsEventsConfigMapsOrStatus(
      KubernetesClient client, Cluster cluster, TestNamespace ns) {
    OperatorExtension.installCrd(cluster);
    CertManagerCrds.install(client);
    var canary = "canary-" + UUID.randomUUID();
    var canaries =
        List.of(
            canary + "-db",
            canary + "-key",
            canary + "-admin",
            canary + "-env",
            canary + "-spaces",
            canary + "-rotated");
    secret(client, "polls-db", Map.of("username", "polls", "password", canaries.get(0)));
    secret(client, "polls-key", Map.of("DJANGO_SECRET_KEY", canaries.get(1)));
    secret(
        client,
        "polls-admin",
        Map.of("username", "admin", "email", "a@example.com", "password", canaries.get(2)));
    secret(client, "polls-env", Map.of("API_TOKEN", canaries.get(3)));
    secret(client, "polls-spaces", Map.of("accessKeyId", "id", "secretKey", canaries.get(4)));

    var env =
        Map.of(
            "WATCH_NAMESPACES",
            ns.name(),
            "LOG_FORMAT",
            "json",
            "LOG_LEVEL",
            "DEBUG",
            "LOG_LEVEL_SDK",
            "DEBUG",
            "RESYNC_INTERVAL_SECONDS",
            "2");
    RealCertManager.shared(cluster);
    try (var operator = OperatorProcess.start(cluster, "observability-" + ns.name(), env)) {
      var app = Polls.app(client);
      app.getSpec().secretKey = new SecretKeySpec();
      app.getSpec().secretKey.secretName = "polls-key";
      app.getSpec().superuser = new SuperuserSpec();
      app.getSpec().superuser.credentialsSecret = "polls-admin";
      var source = new EnvFromSpec();
      source.secretRef = new EnvFromSpec.NameRef("polls-env");
      app.getSpec().envFrom = List.of(source);
      var ledger = IssuanceLedger.watch(client, RealCertManager.PRODUCTION);
      client.resource(app).create();

      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                var status = client.resources(DjangoApp.class).withName("polls").get().getStatus();
                assertThat(status).isNotNull();
                assertThat(Conditions.isTrue(status.conditions, Conditions.READY)).isTrue();
                assertThat(Conditions.isTrue(status.conditions, Conditions.SUPERUSER_CREATED))
                    .isTrue();
                assertThat(status.tls.stage).isEqualTo("Production");
              });
      // The stage says Production once the Ingress asks for it; cert-manager orders just after.
      await()
          .atMost(RealCertManager.ACME_TIMEOUT)
          .until(() -> ledger.orders(RealCertManager.PRODUCTION) > 0);
      ledger.close();
      ledger.assertNoProductionOrderBeforeStaging();
      // A rotation, and a missing Secret, so that error paths log too.
      client
          .secrets()
          .withName("polls-db")
          .edit(
              s -> {
                s.setStringData(Map.of("password", canaries.get(5)));
                return s;
              });
      client.secrets().withName("polls-env").delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                var status = client.resources(DjangoApp.class).withName("polls").get().getStatus();
                return "ReferenceNotFound"
                    .equals(
                        Conditions.find(status.conditions, Conditions.READY)
                            .orElseThrow()
                            .getReason());
              });

      var metrics = operator.get("/metrics");
      assertThat(metrics)
          .contains("operator_sdk_reconciliations_started_total")
          .contains("operator_sdk_reconciliations_success_total")
          .contains("operator_sdk_controllers_execution_reconcile_seconds_bucket")
          .contains("django_operator_tls_promotions_total 1.0");
      assertThat(operator.get("/healthz")).isEqualTo("ok");
      assertThat(operator.get("/readyz")).isEqualTo("ready");

      var log = operator.log();
      assertThat(log)
          .contains("\"level\":\"INFO\"")
          .contains(ns.name() + "\\/polls: event Normal Ready") // JSON escapes the slash
          .contains(ns.name() + "\\/polls: event Warning ReferenceNotFound")
          .contains("\"resource.namespace\":\"" + ns.name() + "\"");
      var written = new StringBuilder(log);
      client.v1().events().list().getItems().forEach(e -> written.append(e.getMessage()));
      client.configMaps().list().getItems().forEach(c -> written.append(c.getData()));
      written.append(
          client.resources(DjangoApp.class).withName("polls").get().getStatus().toString());
      client
          .resources(DjangoApp.class)
          .list()
          .getItems()
          .forEach(a -> written.append(client.getKubernetesSerialization().asYaml(a)));
      for (var value : canaries) {
        assertThat(written.toString())
            .as("a secret value leaked")
            .doesNotContain(value)
            .doesNotContain(Base64.getEncoder().encodeToString(value.getBytes()));
      }
    }
  }

  private static void secret(KubernetesClient client, String name, Map<String, String> data) {
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(data)
                .build())
        .create();
  }
}
