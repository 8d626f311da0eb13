package dev.operators.django.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.VersionInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SupportedKubernetesTest {
  @ParameterizedTest(name = "{0}.{1} ({2}): supported {3}")
  @CsvSource({
    "1, 35, v1.35.4, true",
    "1, 30, v1.30.0, true",
    "1, 30+, v1.30.2-gke.1, true",
    "1, 29, v1.29.9, false",
    "1, 29+, v1.29.1-eks-1, false",
    "1, 20, v1.20.0, false",
    "2, 0, v2.0.0, true",
    "'', '', '', true",
  })
  void refusesOnlyVersionsBefore130(String major, String minor, String git, boolean supported) {
    var version =
        new VersionInfo.Builder().withMajor(major).withMinor(minor).withGitVersion(git).build();
    var refusal = SupportedKubernetes.refusal(version);
    assertThat(refusal.isEmpty()).isEqualTo(supported);
    refusal.ifPresent(message -> assertThat(message).contains(git).contains("1.30 or later"));
  }
}
