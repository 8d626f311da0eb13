package dev.operators.django.testing;

import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Edits a DjangoApp as a user would with kubectl edit: read, change, write with the resourceVersion
 * read, and start again on a conflict (the operator writes the status meanwhile).
 */
public final class Edits {
  private Edits() {}

  public static DjangoApp edit(
      KubernetesClient client, String name, UnaryOperator<DjangoApp> change) {
    var result = new AtomicReference<DjangoApp>();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsMatching(
            e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(
            () -> {
              result.set(client.resources(DjangoApp.class).withName(name).edit(change));
              return true;
            });
    return result.get();
  }
}
