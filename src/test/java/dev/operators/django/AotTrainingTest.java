package dev.operators.django;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The image's build runs the AOT training (deploy/Dockerfile); it must finish without a cluster.
 */
class AotTrainingTest {

  @Test
  void theTrainingRunNeedsNoCluster() {
    assertThatCode(() -> AotTraining.main(new String[0])).doesNotThrowAnyException();
  }

  @Test
  void itTrainsOnEveryKindTheOperatorWatchesWithoutAList() throws Exception {
    try (var registered = AotTrainingAccess.register(OperatorSettings.fromEnvironment(Map.of()))) {
      assertThat(registered.kinds())
          .contains(
              DjangoApp.class,
              ConfigMap.class,
              Secret.class,
              Deployment.class,
              Service.class,
              Ingress.class,
              Job.class,
              Pod.class);
    }
  }
}
