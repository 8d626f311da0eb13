package dev.operators.django.reconciler;

import static dev.operators.django.testing.certmanager.RealCertManager.ACME_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.WatchClosures;
import dev.operators.django.testing.WithCluster;
import dev.operators.django.testing.certmanager.IssuanceLedger;
import dev.operators.django.testing.certmanager.RealCertManager;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates themselves: what sits in the TLS Secret was signed by the staging directory
 * first and by the production directory after the promotion, each pebble instance having its own
 * CA. The chain, not an annotation, says who issued it. Also logs the time to production with the
 * operator and the floor without it (cert-manager alone, annotations applied by hand).
 */
@WithCluster
class RealCertManagerIT {
  @AfterAll
  static void pauseCertManager() {
    RealCertManager.pauseShared();
  }

  private static final Logger log = LoggerFactory.getLogger(RealCertManagerIT.class);

  @RegisterExtension final OperatorExtension operator = new OperatorExtension();

  @Test
  void theServedCertificateComesFromStagingThenFromProduction(
      KubernetesClient client, Cluster cluster) throws Exception {
    var certManager = RealCertManager.shared(cluster);
    var stagingCa = certManager.staging().intermediate().getSubjectX500Principal();
    var productionCa = certManager.production().intermediate().getSubjectX500Principal();
    assertThat(stagingCa).isNotEqualTo(productionCa);
    Polls.createSecrets(client);
    var ledger = IssuanceLedger.watch(client, RealCertManager.PRODUCTION);
    var created = Instant.now();
    client.resource(Polls.app(client)).create();

    var staging = new AtomicReference<X509Certificate>();
    await()
        .atMost(ACME_TIMEOUT)
        .untilAsserted(
            () -> {
              var secret = client.secrets().withName("polls-tls").get();
              assertThat(secret).isNotNull();
              assertThat(secret.getMetadata().getAnnotations())
                  .containsEntry(RealCertManager.ISSUER_NAME_ANNOTATION, RealCertManager.STAGING);
              staging.set(leaf(secret.getData().get("tls.crt")));
            });
    assertThat(staging.get().getIssuerX500Principal()).isEqualTo(stagingCa);
    assertThat(staging.get().getSubjectAlternativeNames())
        .anySatisfy(name -> assertThat(name.get(1)).isEqualTo("polls.example.com"));

    await()
        .atMost(ACME_TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(Polls.tls(client, "polls").stage).isEqualTo("Production");
              assertThat(Polls.tls(client, "polls").phase).isEqualTo("Ready");
            });
    var secret = client.secrets().withName("polls-tls").get();
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry(RealCertManager.ISSUER_NAME_ANNOTATION, RealCertManager.PRODUCTION);
    ledger.close();
    assertThat(ledger.orders(RealCertManager.PRODUCTION)).isPositive();
    ledger.assertNoProductionOrderBeforeStaging();
    log.info(
        "with the operator: DjangoApp created -> production certificate in the Secret in {}"
            + " ms",
        Duration.between(created, ledger.firstIssued(RealCertManager.PRODUCTION).orElseThrow())
            .toMillis());
    var production = leaf(secret.getData().get("tls.crt"));
    assertThat(production.getIssuerX500Principal()).isEqualTo(productionCa);
    assertThat(production.getSerialNumber()).isNotEqualTo(staging.get().getSerialNumber());
  }

  /**
   * The floor the operator is measured against: cert-manager alone doing the same two issuances,
   * with a person who applies the production annotation the instant the staging certificate lands
   * (from a watch, so with no human delay at all).
   */
  @Test
  void theFloorCertManagerAloneWithAnnotationsAppliedByHand(
      KubernetesClient client, Cluster cluster) {
    RealCertManager.shared(cluster);
    var host = "by-hand.example.com";
    var ingress =
        new IngressBuilder()
            .withNewMetadata()
            .withName("by-hand")
            .addToAnnotations(RealCertManager.ISSUER_ANNOTATION, RealCertManager.STAGING)
            .endMetadata()
            .withNewSpec()
            .withIngressClassName("nginx")
            .addNewTl()
            .withHosts(host)
            .withSecretName("by-hand-tls")
            .endTl()
            .addNewRule()
            .withHost(host)
            .withNewHttp()
            .addNewPath()
            .withPath("/")
            .withPathType("Prefix")
            .withNewBackend()
            .withNewService()
            .withName("by-hand")
            .withNewPort()
            .withNumber(80)
            .endPort()
            .endService()
            .endBackend()
            .endPath()
            .endHttp()
            .endRule()
            .endSpec()
            .build();
    var promotedByHand = new AtomicReference<Instant>();
    var closures = new WatchClosures();
    var watch =
        client
            .secrets()
            .withName("by-hand-tls")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Secret secret) {
                    var annotations = secret.getMetadata().getAnnotations();
                    if (annotations != null
                        && RealCertManager.STAGING.equals(
                            annotations.get(RealCertManager.ISSUER_NAME_ANNOTATION))
                        && promotedByHand.compareAndSet(null, Instant.now())) {
                      client
                          .network()
                          .v1()
                          .ingresses()
                          .withName("by-hand")
                          .edit(
                              i -> {
                                i.getMetadata()
                                    .getAnnotations()
                                    .put(
                                        RealCertManager.ISSUER_ANNOTATION,
                                        RealCertManager.PRODUCTION);
                                return i;
                              });
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    closures.record("the Secret by-hand-tls", cause);
                  }
                });
    var ledger = IssuanceLedger.watch(client, RealCertManager.PRODUCTION);
    var created = Instant.now();
    client.resource(ingress).create();

    await()
        .atMost(ACME_TIMEOUT)
        .until(() -> ledger.firstIssued(RealCertManager.PRODUCTION).isPresent());
    watch.close();
    ledger.close();
    closures.assertNone();
    log.info(
        "floor, cert-manager alone: Ingress created -> production certificate in the Secret"
            + " in {} ms (staging issued after {} ms)",
        Duration.between(created, ledger.firstIssued(RealCertManager.PRODUCTION).orElseThrow())
            .toMillis(),
        Duration.between(created, promotedByHand.get()).toMillis());
    ledger.assertNoProductionOrderBeforeStaging();
  }

  private static X509Certificate leaf(String base64Pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
  }
}
