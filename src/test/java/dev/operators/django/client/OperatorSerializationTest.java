package dev.operators.django.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSerializationTest {

  @Test
  void blackbirdIsTheVersionOfJacksonDatabind() {
    assertThat(com.fasterxml.jackson.module.blackbird.PackageVersion.VERSION.toString())
        .isEqualTo(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
  }

  /** The same JSON as fabric8's own mapping, both ways, unknown fields included. */
  @Test
  void writesAndReadsTheModelAsFabric8Does() {
    var plain = new KubernetesSerialization();
    var operator = OperatorSerialization.create("django-operator");
    var deployment = new DeploymentBuilder()
        .withNewMetadata().withName("web").withNamespace("ns").addToLabels("app", "web")
          .addToAdditionalProperties("futureField", Map.of("x", 1)).endMetadata()
        .withNewSpec().withReplicas(2).withNewTemplate().withNewSpec()
          .addNewContainer().withName("web").withImage("django:1").addNewPort()
            .withContainerPort(8000).endPort().endContainer()
        .endSpec().endTemplate().endSpec()
        .build();

    var json = operator.asJson(deployment);

    assertThat(json).isEqualTo(plain.asJson(deployment));
    assertThat(operator.unmarshal(json, Deployment.class))
        .isEqualTo(plain.unmarshal(json, Deployment.class)).isEqualTo(deployment);
  }
}
