package dev.operators.django.dependent;

import static dev.operators.django.api.DjangoAppResources.MANAGED_SELECTOR;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The Secret holding a generated DJANGO_SECRET_KEY. It is only ever created, never updated, so the
 * key is not regenerated (which would log every user out). It exists even when the app takes its
 * key from a user Secret, so that switching back restores the same key.
 */
public class SecretKeyDependent extends ChildDependent<Secret>
    implements Creator<Secret, DjangoApp>, GarbageCollected<DjangoApp> {
  public static final String NAME = "secret-key";

  /** The characters of Django's get_random_secret_key(). */
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)";

  static final int KEY_LENGTH = 64;
  private static final SecureRandom RANDOM = new SecureRandom();

  public SecretKeyDependent() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(DjangoApp app, Context<DjangoApp> context) {
    return build(app, generateKey());
  }

  static Secret build(DjangoApp app, String key) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(DjangoAppResources.secretKeySecret(app))
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(DjangoAppResources.labels(app, DjangoAppResources.WEB))
        .endMetadata()
        .withType("Opaque")
        .withData(
            Map.of(
                DjangoAppResources.SECRET_KEY,
                Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  static String generateKey() {
    var key = new StringBuilder(KEY_LENGTH);
    for (int i = 0; i < KEY_LENGTH; i++) {
      key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return key.toString();
  }

  @Override
  public String childName(DjangoApp app) {
    return DjangoAppResources.secretKeySecret(app);
  }

  @Override
  protected String labelSelector() {
    return MANAGED_SELECTOR
        + ","
        + DjangoAppResources.LABEL_COMPONENT
        + "="
        + DjangoAppResources.WEB;
  }

  /** The generated key Secret's identity, part of every pod template's configuration hash. */
  static Optional<String> uid(Context<DjangoApp> context) {
    return context
        .getSecondaryResource(Secret.class, NAME)
        .map(secret -> secret.getMetadata().getUid());
  }
}
