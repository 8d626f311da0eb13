package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.config.OperatorSettings;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** DjangoApps for unit tests, starting from the polls sample. */
public final class TestApps {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private TestApps() {}

  public static DjangoApp polls() {
    try {
      var app = SERIALIZATION.unmarshal(
          Files.readString(Path.of("deploy/samples/polls.yaml")), DjangoApp.class);
      app.getMetadata().setNamespace("polls");
      app.getMetadata().setUid("uid-1");
      app.getMetadata().setGeneration(1L);
      return app;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static DjangoApp minimal() {
    return SERIALIZATION.unmarshal("""
        apiVersion: django.operators.dev/v1alpha1
        kind: DjangoApp
        metadata: {name: blog, namespace: team-a, generation: 1}
        spec:
          image: registry.example.com/blog:2.1.0
        """, DjangoApp.class);
  }

  public static AppInputs inputs(DjangoApp app) {
    return new AppInputs(OperatorSettings.defaults(), ObservedReferences.none(),
        app.getSpec().ingress != null && app.getSpec().ingress.tls != null
            ? Optional.of("letsencrypt-staging") : Optional.empty());
  }

  public static DjangoApp copy(DjangoApp app) {
    return SERIALIZATION.clone(app);
  }
}
