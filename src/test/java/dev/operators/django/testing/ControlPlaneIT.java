package dev.operators.django.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Proof that the test cluster behaves like Kubernetes where the operator depends on it. */
@WithCluster
class ControlPlaneIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void runsTheKubernetesVersionPinnedInGoMod(Cluster cluster) throws IOException {
    Prerequisites.require(
        cluster instanceof LocalControlPlane
            ? Optional.empty()
            : Optional.of("k3s runs its own Kubernetes release, not the pinned one"));
    var goMod = Files.readString(Path.of("src/test/control-plane/go.mod"));
    var pinned =
        goMod
            .lines()
            .map(String::trim)
            .filter(line -> line.startsWith("k8s.io/kubernetes v"))
            .map(line -> line.split("\\s+")[1])
            .findFirst()
            .orElseThrow();
    assertThat(cluster.serverVersion()).isEqualTo(pinned);
  }

  @Test
  void deploymentBecomesAvailableWithReadyReplicas(KubernetesClient client) {
    client
        .apps()
        .deployments()
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "web")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "web")
                .endMetadata()
                .withSpec(pod("Always"))
                .endTemplate()
                .endSpec()
                .build())
        .create();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = client.apps().deployments().withName("web").get().getStatus();
              assertThat(status.getReadyReplicas()).isEqualTo(2);
              assertThat(status.getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Available");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
            });
    assertThat(client.pods().withLabel("app", "web").list().getItems())
        .hasSize(2)
        .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
  }

  @Test
  void jobRunsToCompletion(KubernetesClient client) {
    client
        .batch()
        .v1()
        .jobs()
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName("once")
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withNewTemplate()
                .withSpec(pod("Never"))
                .endTemplate()
                .endSpec()
                .build())
        .create();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = client.batch().v1().jobs().withName("once").get().getStatus();
              assertThat(status.getSucceeded()).isEqualTo(1);
              assertThat(status.getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Complete");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
            });
  }

  @Test
  void deletingAnOwnerGarbageCollectsItsDependents(KubernetesClient client) {
    var owner =
        client
            .configMaps()
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("owner").endMetadata().build())
            .create();
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("dependent")
                .addNewOwnerReference()
                .withApiVersion("v1")
                .withKind("ConfigMap")
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .endOwnerReference()
                .endMetadata()
                .build())
        .create();
    client
        .secrets()
        .resource(new SecretBuilder().withNewMetadata().withName("unrelated").endMetadata().build())
        .create();

    client.configMaps().withName("owner").delete();

    await().atMost(TIMEOUT).until(() -> client.secrets().withName("dependent").get() == null);
    assertThat(client.secrets().withName("unrelated").get()).isNotNull();
  }

  @Test
  void celRuleRejectsAnInvalidObjectWithItsMessage(KubernetesClient client, TestNamespace ns) {
    var group = ns.name() + ".proof.django.operators.dev";
    var crd =
        client.apiextensions().v1().customResourceDefinitions().resource(rangeCrd(group)).create();
    try {
      await().atMost(TIMEOUT).until(() -> isEstablished(client, crd.getMetadata().getName()));
      var ranges =
          client.genericKubernetesResources(
              new ResourceDefinitionContext.Builder()
                  .withGroup(group)
                  .withVersion("v1")
                  .withKind("Range")
                  .withPlural("ranges")
                  .withNamespaced(true)
                  .build());

      ranges.resource(range("good", 1, 3)).create();
      assertThatThrownBy(() -> ranges.resource(range("bad", 5, 3)).create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(422);
                assertThat(e.getMessage()).contains("min must not be greater than max");
              });
      assertThat(ranges.withName("bad").get()).isNull();
    } finally {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).delete();
    }
  }

  @Test
  void serverSideApplyKeepsFieldsOwnedByAnotherManager(KubernetesClient client) {
    client
        .configMaps()
        .resource(configMap(Map.of("replicas", "2")))
        .fieldManager("operator")
        .serverSideApply();
    client
        .configMaps()
        .resource(configMap(Map.of("owner", "hpa")))
        .fieldManager("autoscaler")
        .serverSideApply();

    // The operator applies its full intent again, without the other manager's key.
    client
        .configMaps()
        .resource(configMap(Map.of("replicas", "3")))
        .fieldManager("operator")
        .serverSideApply();
    assertThat(client.configMaps().withName("shared").get().getData())
        .containsExactlyInAnyOrderEntriesOf(Map.of("replicas", "3", "owner", "hpa"));

    // Taking over another manager's field without force is a conflict, not a silent overwrite.
    assertThatThrownBy(
            () ->
                client
                    .configMaps()
                    .resource(configMap(Map.of("replicas", "3", "owner", "operator")))
                    .fieldManager("operator")
                    .serverSideApply())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.configMaps().withName("shared").get().getData())
        .containsEntry("owner", "hpa");
  }

  private static PodSpec pod(String restartPolicy) {
    return new PodSpecBuilder()
        .withRestartPolicy(restartPolicy)
        .addNewContainer()
        .withName("main")
        .withImage("registry.k8s.io/pause:3.10")
        .endContainer()
        .build();
  }

  private static ConfigMap configMap(Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("shared")
        .endMetadata()
        .withData(data)
        .build();
  }

  private static GenericKubernetesResource range(String name, int min, int max) {
    return new GenericKubernetesResourceBuilder()
        .withKind("Range")
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("min", min, "max", max)))
        .build();
  }

  private static CustomResourceDefinition rangeCrd(String group) {
    var integer = new JSONSchemaPropsBuilder().withType("integer").build();
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("ranges." + group)
        .endMetadata()
        .withNewSpec()
        .withGroup(group)
        .withScope("Namespaced")
        .withNewNames()
        .withKind("Range")
        .withPlural("ranges")
        .withSingular("range")
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .addToProperties(
            "spec",
            new JSONSchemaPropsBuilder()
                .withType("object")
                .addToProperties("min", integer)
                .addToProperties("max", integer)
                .addNewXKubernetesValidation()
                .withRule("self.min <= self.max")
                .withMessage("min must not be greater than max")
                .endXKubernetesValidation()
                .build())
        .endOpenAPIV3Schema()
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }

  private static boolean isEstablished(KubernetesClient client, String crdName) {
    var crd = client.apiextensions().v1().customResourceDefinitions().withName(crdName).get();
    return crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
