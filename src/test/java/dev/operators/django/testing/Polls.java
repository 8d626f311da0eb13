package dev.operators.django.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.api.TlsStatus;
import dev.operators.django.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The polls example from deploy/samples, and how tests read a DjangoApp's status. */
public final class Polls {
  /** How long an app on the local control plane may take to become Ready. */
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

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

  /** The polls sample with its Secrets, once it is Ready. */
  public static DjangoApp createReady(KubernetesClient client) {
    createSecrets(client);
    client.resource(app(client)).create();
    return awaitReady(client, "polls");
  }

  public static DjangoApp awaitReady(KubernetesClient client, String name) {
    return awaitReady(client, name, TIMEOUT);
  }

  /** Waits until the app reports Ready for its current generation, and returns it. */
  public static DjangoApp awaitReady(KubernetesClient client, String name, Duration timeout) {
    await()
        .atMost(timeout)
        .untilAsserted(
            () -> {
              var app = client.resources(DjangoApp.class).withName(name).get();
              assertThat(app.getStatus()).isNotNull();
              assertThat(Conditions.isTrue(app.getStatus().conditions, Conditions.READY))
                  .as("Ready in %s", app.getStatus().conditions)
                  .isTrue();
              assertThat(app.getStatus().observedGeneration)
                  .isEqualTo(app.getMetadata().getGeneration());
            });
    return client.resources(DjangoApp.class).withName(name).get();
  }

  /** The app's status; asserts it has one. */
  public static DjangoAppStatus status(KubernetesClient client, String name) {
    var app = client.resources(DjangoApp.class).withName(name).get();
    assertThat(app).isNotNull();
    assertThat(app.getStatus()).isNotNull();
    return app.getStatus();
  }

  /** The app's condition of this type; an empty condition while there is none. */
  public static Condition condition(KubernetesClient client, String name, String type) {
    var app = client.resources(DjangoApp.class).withName(name).get();
    if (app == null || app.getStatus() == null) {
      return new Condition();
    }
    return Conditions.find(app.getStatus().conditions, type).orElseGet(Condition::new);
  }

  /** The app's TLS status; asserts it has one. */
  public static TlsStatus tls(KubernetesClient client, String name) {
    var tls = status(client, name).tls;
    assertThat(tls).isNotNull();
    return tls;
  }

  private static <T> T load(KubernetesClient client, String file, Class<T> type) {
    try {
      return client.getKubernetesSerialization().unmarshal(Files.readString(Path.of(file)), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
