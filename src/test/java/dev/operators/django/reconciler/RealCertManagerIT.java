package dev.operators.django.reconciler;

import static dev.operators.django.reconciler.TlsPromotionIT.ISSUER;
import static dev.operators.django.reconciler.TlsPromotionIT.PROD;
import static dev.operators.django.reconciler.TlsPromotionIT.STAGING;
import static dev.operators.django.reconciler.TlsPromotionIT.certificateReady;
import static dev.operators.django.reconciler.TlsPromotionIT.tls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The promotion against the real cert-manager controller, on the k3s backend only
 * (DJANGO_OPERATOR_TEST_CLUSTER=k3s, which needs Docker and the internet for the images and the
 * release manifest). Two self-signed ClusterIssuers stand in for Let's Encrypt staging and
 * production. On the local control plane, where no kubelet runs cert-manager's image, it is
 * skipped and TlsPromotionIT covers the same path with the simulator.
 */
@WithCluster
class RealCertManagerIT {
  static final String RELEASE =
      "https://github.com/cert-manager/cert-manager/releases/download/v1.19.2/cert-manager.yaml";

  @RegisterExtension
  final OperatorExtension operator = new OperatorExtension();

  @Test
  void promotesWithTheRealCertManager(KubernetesClient client, Cluster cluster)
      throws IOException {
    assumeFalse(cluster.podsAreSimulated(), "needs a kubelet that runs cert-manager's image");
    try (var manifest = URI.create(RELEASE).toURL().openStream()) {
      client.load(manifest).inNamespace("cert-manager").forceConflicts().serverSideApply();
    }
    await().atMost(Duration.ofMinutes(5)).until(() -> client.apps().deployments()
        .inNamespace("cert-manager").list().getItems().stream().allMatch(d ->
            d.getStatus() != null && d.getStatus().getReadyReplicas() != null
                && d.getStatus().getReadyReplicas() >= 1));
    for (var issuer : new String[] {STAGING, PROD}) {
      await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.resource("""
          apiVersion: cert-manager.io/v1
          kind: ClusterIssuer
          metadata: {name: %s}
          spec: {selfSigned: {}}
          """.formatted(issuer)).forceConflicts().serverSideApply() != null);
    }

    Polls.createSecrets(client);
    client.resource(Polls.app(client)).create();

    await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
      assertThat(tls(client).stage).isEqualTo("Production");
      assertThat(tls(client).phase).isEqualTo("Ready");
      assertThat(certificateReady(client).getReason()).isEqualTo("Issued");
      assertThat(client.network().v1().ingresses().withName("polls").get().getMetadata()
          .getAnnotations()).containsEntry(ISSUER, PROD);
    });
  }
}
