package dev.operators.django;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/** The image's build runs the AOT training (deploy/Dockerfile); it must finish without a cluster. */
class AotTrainingTest {

  @Test
  void theTrainingRunNeedsNoCluster() {
    assertThatCode(() -> AotTraining.main(new String[0])).doesNotThrowAnyException();
  }
}
