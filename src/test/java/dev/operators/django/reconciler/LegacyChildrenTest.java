package dev.operators.django.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import org.junit.jupiter.api.Test;

class LegacyChildrenTest {
  @Test
  void aPodReadsAConfigMapThroughEnvFromOrAKeyReference() {
    assertThat(
            LegacyChildren.reads(
                pod(
                    new ContainerBuilder()
                        .addNewEnvFrom()
                        .withNewConfigMapRef()
                        .withName("polls-config")
                        .endConfigMapRef()
                        .endEnvFrom()),
                "polls-config"))
        .isTrue();
    assertThat(
            LegacyChildren.reads(
                pod(
                    new ContainerBuilder()
                        .addNewEnv()
                        .withName("DEBUG")
                        .withNewValueFrom()
                        .withNewConfigMapKeyRef("DEBUG", "polls-config", false)
                        .endValueFrom()
                        .endEnv()),
                "polls-config"))
        .isTrue();
    assertThat(
            LegacyChildren.reads(
                pod(
                    new ContainerBuilder()
                        .addNewEnv()
                        .withName("DEBUG")
                        .withNewValueFrom()
                        .withNewConfigMapKeyRef("DEBUG", "polls-settings", false)
                        .endValueFrom()
                        .endEnv()
                        .addNewEnvFrom()
                        .withNewSecretRef()
                        .withName("polls-config")
                        .endSecretRef()
                        .endEnvFrom()),
                "polls-config"))
        .isFalse();
  }

  private static PodSpec pod(ContainerBuilder container) {
    return new PodSpecBuilder().withContainers(container.withName("django").build()).build();
  }
}
