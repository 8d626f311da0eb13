package dev.operators.django.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.testing.TestApps;
import java.util.Base64;
import java.util.HashSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SecretKeyDependentTest {

  @Test
  void generatesLongDistinctKeysFromDjangosAlphabet() {
    var keys = new HashSet<String>();
    IntStream.range(0, 100).forEach(i -> keys.add(SecretKeyDependent.generateKey()));
    assertThat(keys)
        .hasSize(100)
        .allSatisfy(
            key -> {
              assertThat(key).hasSizeGreaterThanOrEqualTo(50);
              assertThat(key).matches("[a-z0-9!@#$%^&*(\\-_=+)]+");
            });
  }

  @Test
  void storesTheKeyUnderDjangoSecretKey() {
    var secret = SecretKeyDependent.build(TestApps.polls(), "k".repeat(64));
    assertThat(secret.getMetadata().getName()).isEqualTo("polls-secret-key");
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(new String(Base64.getDecoder().decode(secret.getData().get("DJANGO_SECRET_KEY"))))
        .isEqualTo("k".repeat(64));
  }
}
