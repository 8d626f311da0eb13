package dev.operators.django.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceObserverTest {
  private static Secret secret(String password, Map<String, String> annotations) {
    var encoder = Base64.getEncoder();
    return new SecretBuilder().withNewMetadata().withName("db").withNamespace("team-a")
        .withAnnotations(annotations).endMetadata()
        .withData(Map.of("username", encoder.encodeToString("u".getBytes()),
            "password", encoder.encodeToString(password.getBytes())))
        .build();
  }

  @Test
  void aCachedSecretKeepsItsKeyNamesAndAFingerprintButNoValue() {
    var reduced = ReferenceObserver.reduce(secret("hunter2", Map.of()));

    assertThat(reduced.getData()).containsOnlyKeys("username", "password")
        .allSatisfy((k, v) -> assertThat(v).isEmpty());
    assertThat(ReferenceObserver.fingerprint(reduced))
        .isEqualTo(ReferenceObserver.contentHash(secret("hunter2", Map.of())))
        .isNotEqualTo(ReferenceObserver.contentHash(secret("rotated", Map.of())));
  }

  @Test
  void aFingerprintAnnotationSetByTheUserIsNotTrusted() {
    var forged = Map.of(ReferenceObserver.FINGERPRINT, "0000000000000000");

    var before = ReferenceObserver.reduce(secret("hunter2", forged));
    var after = ReferenceObserver.reduce(secret("rotated", forged));

    assertThat(ReferenceObserver.fingerprint(before)).isNotEqualTo("0000000000000000")
        .isNotEqualTo(ReferenceObserver.fingerprint(after));
  }
}
