package dev.operators.django.benchmark;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.status.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Watches the benchmark's apps and records, per app, when each child first appeared and when the
 * app first reported Ready, in nanoseconds on this JVM's clock.
 */
final class Convergence implements AutoCloseable {
  static final List<Class<? extends HasMetadata>> CHILDREN =
      List.of(
          ConfigMap.class,
          Secret.class,
          Deployment.class,
          Service.class,
          Ingress.class,
          StatefulSet.class,
          CronJob.class);

  /** Per app, each child (kind and name) and when it was first seen. */
  private final Map<String, Map<String, Long>> childrenSeen = new ConcurrentHashMap<>();

  private final int childrenPerApp;
  private final Map<String, Long> readySeen = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  Convergence(KubernetesClient client) {
    this(client, 5);
  }

  /** Watches for apps of {@code childrenPerApp} children each (five for a web-only app). */
  Convergence(KubernetesClient client, int childrenPerApp) {
    this.childrenPerApp = childrenPerApp;
    for (var type : CHILDREN) {
      informers.add(
          watch(
              client,
              type,
              r -> true,
              (r, now) -> {
                var app = r.getMetadata().getLabels().get(DjangoAppResources.LABEL_INSTANCE);
                if (app != null
                    && !DjangoAppResources.TLS.equals(
                        r.getMetadata().getLabels().get(DjangoAppResources.LABEL_COMPONENT))) {
                  childrenSeen
                      .computeIfAbsent(
                          key(r.getMetadata().getNamespace(), app), k -> new ConcurrentHashMap<>())
                      .putIfAbsent(type.getSimpleName() + "/" + r.getMetadata().getName(), now);
                }
              }));
    }
    informers.add(
        watch(
            client,
            DjangoApp.class,
            app ->
                app.getStatus() != null
                    && Conditions.isTrue(app.getStatus().conditions, Conditions.READY),
            (app, now) ->
                readySeen.putIfAbsent(
                    key(app.getMetadata().getNamespace(), app.getMetadata().getName()), now)));
  }

  private static <T extends HasMetadata> SharedIndexInformer<T> watch(
      KubernetesClient client, Class<T> type, Predicate<T> when, BiConsumer<T, Long> record) {
    var operation =
        type == DjangoApp.class
            ? client.resources(type).inAnyNamespace()
            : client
                .resources(type)
                .inAnyNamespace()
                .withLabel(DjangoAppResources.LABEL_MANAGED_BY, DjangoAppResources.MANAGED_BY);
    return operation.inform(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T resource) {
            if (when.test(resource)) {
              record.accept(resource, System.nanoTime());
            }
          }

          @Override
          public void onUpdate(T old, T resource) {
            onAdd(resource);
          }

          @Override
          public void onDelete(T resource, boolean unknown) {}
        },
        0);
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** When all the app's children were seen, or -1. */
  long childrenComplete(String key) {
    var seen = childrenSeen.get(key);
    if (seen == null || seen.size() < childrenPerApp) {
      return -1;
    }
    return seen.values().stream().mapToLong(Long::longValue).max().orElse(-1);
  }

  long ready(String key) {
    return readySeen.getOrDefault(key, -1L);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
