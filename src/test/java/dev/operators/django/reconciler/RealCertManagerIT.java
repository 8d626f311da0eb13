package dev.operators.django.reconciler;

import static dev.operators.django.reconciler.TlsPromotionIT.ACME_TIMEOUT;
import static dev.operators.django.reconciler.TlsPromotionIT.ISSUER_NAME;
import static dev.operators.django.reconciler.TlsPromotionIT.PROD;
import static dev.operators.django.reconciler.TlsPromotionIT.STAGING;
import static dev.operators.django.reconciler.TlsPromotionIT.tls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.WithCluster;
import dev.operators.django.testing.certmanager.RealCertManager;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The certificates themselves: what sits in the TLS Secret was signed by the staging directory
 * first and by the production directory after the promotion, each pebble instance having its own
 * CA. The chain, not an annotation, says who issued it.
 */
@WithCluster
class RealCertManagerIT {

  @RegisterExtension
  final OperatorExtension operator = new OperatorExtension();

  @Test
  void theServedCertificateComesFromStagingThenFromProduction(KubernetesClient client,
      Cluster cluster) throws Exception {
    var certManager = RealCertManager.shared(cluster);
    var stagingCa = certManager.staging().intermediate().getSubjectX500Principal();
    var productionCa = certManager.production().intermediate().getSubjectX500Principal();
    assertThat(stagingCa).isNotEqualTo(productionCa);
    Polls.createSecrets(client);
    client.resource(Polls.app(client)).create();

    var staging = new AtomicReference<X509Certificate>();
    await().atMost(ACME_TIMEOUT).untilAsserted(() -> {
      var secret = client.secrets().withName("polls-tls").get();
      assertThat(secret).isNotNull();
      assertThat(secret.getMetadata().getAnnotations()).containsEntry(ISSUER_NAME, STAGING);
      staging.set(leaf(secret.getData().get("tls.crt")));
    });
    assertThat(staging.get().getIssuerX500Principal()).isEqualTo(stagingCa);
    assertThat(staging.get().getSubjectAlternativeNames())
        .anySatisfy(name -> assertThat(name.get(1)).isEqualTo("polls.example.com"));

    await().atMost(ACME_TIMEOUT).untilAsserted(() -> {
      assertThat(tls(client).stage).isEqualTo("Production");
      assertThat(tls(client).phase).isEqualTo("Ready");
    });
    var secret = client.secrets().withName("polls-tls").get();
    assertThat(secret.getMetadata().getAnnotations()).containsEntry(ISSUER_NAME, PROD);
    var production = leaf(secret.getData().get("tls.crt"));
    assertThat(production.getIssuerX500Principal()).isEqualTo(productionCa);
    assertThat(production.getSerialNumber()).isNotEqualTo(staging.get().getSerialNumber());
  }

  private static X509Certificate leaf(String base64Pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
  }
}
