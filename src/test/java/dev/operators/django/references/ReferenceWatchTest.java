package dev.operators.django.references;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceWatchTest {
  private static Secret secret(String password, Map<String, String> annotations) {
    var encoder = Base64.getEncoder();
    return new SecretBuilder()
        .withNewMetadata()
        .withName("db")
        .withNamespace("team-a")
        .withAnnotations(annotations)
        .endMetadata()
        .withData(
            Map.of(
                "username",
                encoder.encodeToString("u".getBytes()),
                "password",
                encoder.encodeToString(password.getBytes())))
        .build();
  }

  @Test
  void aCachedSecretKeepsItsKeyNamesAndAFingerprintButNoValue() {
    var reduced = ReducedObjects.reduce(secret("hunter2", Map.of()));

    assertThat(reduced.getData())
        .containsOnlyKeys("username", "password")
        .allSatisfy((k, v) -> assertThat(v).isEqualTo("TEXT"));
    assertThat(ReducedObjects.fingerprint(reduced))
        .isEqualTo(ReducedObjects.contentHash(secret("hunter2", Map.of())))
        .isNotEqualTo(ReducedObjects.contentHash(secret("rotated", Map.of())));
  }

  @Test
  void aFingerprintAnnotationSetByTheUserIsNotTrusted() {
    var forged = Map.of(ReducedObjects.FINGERPRINT, "0000000000000000");

    var before = ReducedObjects.reduce(secret("hunter2", forged));
    var after = ReducedObjects.reduce(secret("rotated", forged));

    assertThat(ReducedObjects.fingerprint(before))
        .isNotEqualTo("0000000000000000")
        .isNotEqualTo(ReducedObjects.fingerprint(after));
  }

  @Test
  void aCachedValueKeepsOnlyItsShape() {
    var encoder = Base64.getEncoder();
    var reduced =
        ReducedObjects.reduce(
            new SecretBuilder()
                .withNewMetadata()
                .withName("su")
                .endMetadata()
                .withData(
                    Map.of(
                        "username", encoder.encodeToString("admin".getBytes()),
                        "email", encoder.encodeToString("admin@example.com".getBytes()),
                        "password", encoder.encodeToString(" ".getBytes()),
                        "other-email", encoder.encodeToString("not an address".getBytes())))
                .build());

    assertThat(reduced.getData())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "username", "TEXT", "email", "EMAIL", "password", "BLANK", "other-email", "TEXT"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // key requirement | shape | problem, if any
        "password | NOT_BLANK | BLANK | ReferenceInvalid: Secret su (spec.superuser.credentialsSecret)"
            + " key 'password' is empty",
        "password | NOT_BLANK | TEXT  |",
        "email    | EMAIL     | TEXT  | ReferenceInvalid: Secret su (spec.superuser.credentialsSecret)"
            + " key 'email' is not a valid email address, which Django's createsuperuser refuses",
        "email    | EMAIL     | BLANK | ReferenceInvalid: Secret su (spec.superuser.credentialsSecret)"
            + " key 'email' is not a valid email address, which Django's createsuperuser refuses",
        "email    | EMAIL     | EMAIL |",
        "username | PRESENT   | BLANK |",
        "username | NOT_BLANK |       | ReferenceNotFound: Secret su (spec.superuser.credentialsSecret)"
            + " has no key 'username'",
      })
  void eachRequirementIsCheckedOnTheShape(
      String key, References.Requirement requirement, String shape, String problem) {
    var ref =
        new References.Reference(
            "Secret", "su", "spec.superuser.credentialsSecret", Map.of(key, requirement));

    assertThat(
            References.check(ref, key, requirement, shape)
                .map(p -> p.reason() + ": " + p.message())
                .orElse(null))
        .isEqualTo(problem);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "admin@example.com | true",
        "a.b+c@sub.example.co.uk | true",
        "root@localhost | true",
        "\"quoted.name\"@example.com | true",
        "\"quoted name\"@example.com | false",
        "u@[::1] | true",
        "u@bücher.example | true",
        "admin | false",
        "admin@ | false",
        "@example.com | false",
        "a@b | false",
        "a b@example.com | false",
        "a@example.com. | false",
        "a@-example.com | false",
        "a@example.c | false",
        "a..b@example.com | false",
        "a@example.com- | false"
      })
  void emailAddressesAreCheckedLikeDjangosValidator(String value, boolean valid) {
    assertThat(ValueShape.isEmail(value)).isEqualTo(valid);
  }
}
