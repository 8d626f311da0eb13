package dev.operators.django.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.DjangoOperator;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's client reads its own managed-fields entry from the API server, and no other. */
@WithCluster
class OwnManagedFieldsIT {

  private static ConfigMap configMap(String key) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("shared")
        .endMetadata()
        .withData(Map.of(key, "value"))
        .build();
  }

  @Test
  void readsOnlyTheOperatorsEntry(Cluster cluster, KubernetesClient admin, TestNamespace ns) {
    admin.configMaps().resource(configMap("theirs")).fieldManager("someone-else").serverSideApply();
    try (var client =
        DjangoOperator.clientBuilder().withConfig(cluster.config(ns.name())).build()) {
      var applied =
          client
              .configMaps()
              .resource(configMap("ours"))
              .fieldManager(OperatorSettings.FIELD_MANAGER)
              .serverSideApply();
      var listed = client.configMaps().withName("shared").get();

      assertThat(admin.configMaps().withName("shared").get().getMetadata().getManagedFields())
          .extracting(ManagedFieldsEntry::getManager)
          .containsExactlyInAnyOrder("someone-else", OperatorSettings.FIELD_MANAGER);
      for (var read : new ConfigMap[] {applied, listed}) {
        assertThat(read.getData()).containsOnlyKeys("theirs", "ours");
        assertThat(read.getMetadata().getManagedFields())
            .singleElement()
            .satisfies(
                entry -> {
                  assertThat(entry.getManager()).isEqualTo(OperatorSettings.FIELD_MANAGER);
                  assertThat(entry.getOperation()).isEqualTo("Apply");
                  assertThat(entry.getFieldsV1().getAdditionalProperties())
                      .isEqualTo(Map.of("f:data", Map.of("f:ours", Map.of())));
                });
      }
    }
  }
}
