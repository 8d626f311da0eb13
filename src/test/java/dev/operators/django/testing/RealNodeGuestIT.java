package dev.operators.django.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real node is a guest on the machine: a run of it, pods and all, leaves another Kubernetes on
 * the same machine untouched. It starts and stops a node of its own (the shared one, if running, is
 * stopped first: one node at a time), with decoys of a foreign cluster planted before.
 */
@WithCluster
class RealNodeGuestIT {
  @RegisterExtension
  static final BeforeAllCallback ONE_NODE_AT_A_TIME = RealNodeExtension::stopShared;

  @Test
  void aForeignClusterOnTheMachineSurvivesTheRealNode(
      Cluster cluster, KubernetesClient client, TestNamespace namespace) throws Exception {
    Prerequisites.require(
        cluster instanceof LocalControlPlane
            ? RealNode.missingPrerequisite()
            : Optional.of("a real node runs on the local control plane only"));
    try (var decoys = ForeignClusterDecoys.plant()) {
      var node = RealNode.start((LocalControlPlane) cluster);
      try {
        RealNodeExtension.optIn(client, namespace.name());
        client
            .pods()
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("guest")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("pause")
                    .withImage("registry.test/pause:3.10")
                    .withImagePullPolicy("Never")
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
        await("a real pod on the node to be Ready")
            .atMost(Duration.ofMinutes(2))
            .until(
                () -> {
                  var pod = client.pods().withName("guest").get();
                  return pod.getStatus().getConditions().stream()
                      .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
                });
        assertThat(client.pods().withName("guest").get().getSpec().getNodeName())
            .isEqualTo(RealNode.NAME);
      } finally {
        // Fails if node.sh check finds anything of the run left.
        node.stop();
      }
      decoys.assertIntact();
      assertThat(node.check()).as("what node.sh check finds of the run").isBlank();
    }
  }
}
