package dev.operators.django.testing;

import dev.operators.django.api.DjangoApp;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The polls example from deploy/samples, as tests use it. */
public final class Polls {
  private Polls() {}

  public static DjangoApp app(KubernetesClient client) {
    return load(client, "deploy/samples/polls.yaml", DjangoApp.class);
  }

  /** The polls example with Celery (worker, beat, clearsessions) from deploy/samples. */
  public static DjangoApp celery(KubernetesClient client) {
    return load(client, "deploy/samples/polls-celery.yaml", DjangoApp.class);
  }

  /** Creates the user Secrets the sample references. */
  public static void createSecrets(KubernetesClient client) {
    try {
      var yaml = Files.readString(Path.of("deploy/samples/polls-secrets.yaml"));
      for (var doc : yaml.split("\n---\n")) {
        client.resource(client.getKubernetesSerialization().unmarshal(doc, Secret.class)).create();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the app reports Ready for its current generation, and returns it. */
  public static DjangoApp awaitReady(KubernetesClient client, String name,
      java.time.Duration timeout) {
    org.awaitility.Awaitility.await().atMost(timeout).untilAsserted(() -> {
      var app = client.resources(DjangoApp.class).withName(name).get();
      org.assertj.core.api.Assertions.assertThat(app.getStatus()).isNotNull();
      org.assertj.core.api.Assertions.assertThat(dev.operators.django.reconciler.Conditions.isTrue(
              app.getStatus().conditions, dev.operators.django.reconciler.Conditions.READY))
          .as("Ready in %s", app.getStatus().conditions).isTrue();
      org.assertj.core.api.Assertions.assertThat(app.getStatus().observedGeneration)
          .isEqualTo(app.getMetadata().getGeneration());
    });
    return client.resources(DjangoApp.class).withName(name).get();
  }

  private static <T> T load(KubernetesClient client, String file, Class<T> type) {
    try {
      return client.getKubernetesSerialization().unmarshal(Files.readString(Path.of(file)), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
