package dev.operators.django.reconciler;

import static dev.operators.django.testing.Polls.TIMEOUT;
import static dev.operators.django.testing.Polls.awaitReady;
import static dev.operators.django.testing.certmanager.RealCertManager.ACME_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.WithCluster;
import dev.operators.django.testing.certmanager.CertManagerCrds;
import dev.operators.django.testing.certmanager.IssuanceLedger;
import dev.operators.django.testing.certmanager.RealCertManager;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Without cert-manager everything else works; installing it later (its CRDs, then its real
 * controllers) needs no restart of the operator.
 */
@WithCluster
class TlsWithoutCertManagerIT {
  @AfterAll
  static void pauseCertManager() {
    RealCertManager.pauseShared();
  }

  @RegisterExtension
  final OperatorExtension operator =
      new OperatorExtension().withEnv("RESYNC_INTERVAL_SECONDS", "3");

  @AfterEach
  void reinstall(KubernetesClient client, Cluster cluster) {
    CertManagerCrds.install(client);
    RealCertManager.shared(cluster).startControllers();
  }

  @Test
  void theAppRunsAndCertManagerInstalledLaterIsPickedUp(KubernetesClient client, Cluster cluster) {
    var certManager = RealCertManager.shared(cluster);
    operator.stop();
    certManager.stopControllers();
    CertManagerCrds.uninstall(client);
    operator.restart();
    Polls.createSecrets(client);
    client.resource(Polls.app(client)).create();

    awaitReady(client, "polls");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var condition = Polls.condition(client, "polls", Conditions.CERTIFICATE_READY);
              assertThat(condition.getStatus()).isEqualTo("False");
              assertThat(condition.getReason()).isEqualTo("CertManagerNotInstalled");
              // Nothing can issue a certificate: the URL says http.
              assertThat(client.resources(DjangoApp.class).withName("polls").get().getStatus().url)
                  .startsWith("http://");
              assertThat(condition.getMessage()).contains("cert-manager is not installed");
              assertThat(Polls.tls(client, "polls").phase).isEqualTo("Unavailable");
              assertThat(Polls.tls(client, "polls").stage).isEqualTo("Staging");
            });
    assertThat(
            client
                .network()
                .v1()
                .ingresses()
                .withName("polls")
                .get()
                .getMetadata()
                .getAnnotations())
        .containsEntry(RealCertManager.ISSUER_ANNOTATION, RealCertManager.STAGING);

    CertManagerCrds.install(client);
    var ledger = IssuanceLedger.watch(client, RealCertManager.PRODUCTION);
    certManager.startControllers();
    await()
        .atMost(ACME_TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(Polls.tls(client, "polls").stage).isEqualTo("Production");
              assertThat(Polls.tls(client, "polls").phase).isEqualTo("Ready");
            });
    ledger.close();
    assertThat(ledger.orders(RealCertManager.PRODUCTION)).isEqualTo(1);
    ledger.assertNoProductionOrderBeforeStaging();
  }
}
