package dev.operators.django.chaos;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the chaos run's watches saw, from before the first app was created to the end: every migrate
 * Job (its uid, its image, the etcd revision at which it was first seen Complete), every image each
 * Deployment was seen with (the first revision), every generated key Secret's uid and data, and
 * every Ready transition of every app. etcd revisions (resourceVersions of one etcd) order events
 * of different kinds, which the arrival times of separate watches would not. fabric8's informers
 * re-list after the API server restarts, so a version that lived only while a watch was down can be
 * missed; every check below errs towards passing only in that case.
 */
final class History implements AutoCloseable {
  /** A migrate Job: its app and image, and the revision at which it was first seen succeeded. */
  record MigrateJob(String app, String image, long completedAt) {}

  final Map<String, MigrateJob> migrateJobs = new ConcurrentHashMap<>(); // by uid

  /** app -> image -> the first revision at which its Deployment ran that image. */
  final Map<String, Map<String, Long>> deploymentImages = new ConcurrentHashMap<>();

  /** key Secret (namespace/name) -> uids seen, and digests of the data seen. */
  final Map<String, Set<String>> keySecretUids = new ConcurrentHashMap<>();

  final Map<String, Set<String>> keySecretData = new ConcurrentHashMap<>();

  /** app -> lastTransitionTimes of Ready=True seen. */
  final Map<String, Set<String>> readySince = new ConcurrentHashMap<>();

  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  History(KubernetesClient client) {
    informers.add(
        watch(
            client
                .batch()
                .v1()
                .jobs()
                .inAnyNamespace()
                .withLabel(DjangoAppResources.LABEL_COMPONENT, DjangoAppResources.MIGRATE)
                .inform(handler(this::job), 0)));
    informers.add(
        watch(
            client
                .apps()
                .deployments()
                .inAnyNamespace()
                .withLabel(DjangoAppResources.LABEL_MANAGED_BY, DjangoAppResources.MANAGED_BY)
                .inform(handler(this::deployment), 0)));
    informers.add(
        watch(
            client
                .secrets()
                .inAnyNamespace()
                .withLabel(DjangoAppResources.LABEL_MANAGED_BY, DjangoAppResources.MANAGED_BY)
                .withLabel(DjangoAppResources.LABEL_COMPONENT, DjangoAppResources.WEB)
                .inform(handler(this::secret), 0)));
    informers.add(
        watch(client.resources(DjangoApp.class).inAnyNamespace().inform(handler(this::app), 0)));
  }

  private static SharedIndexInformer<?> watch(SharedIndexInformer<?> informer) {
    return informer;
  }

  /**
   * Informers that stopped before the end (an error they did not recover from): what they saw is
   * not the whole run, and a check over it could pass on missing data.
   */
  List<String> stopped() {
    return informers.stream()
        .filter(i -> i.stopped().toCompletableFuture().isDone())
        .map(i -> i.getApiTypeClass().getSimpleName() + " informer")
        .toList();
  }

  private void job(Job job) {
    var app = key(job, job.getMetadata().getLabels().get(DjangoAppResources.LABEL_INSTANCE));
    var image = job.getMetadata().getAnnotations().get(DjangoAppResources.IMAGE_ANNOTATION);
    boolean complete =
        job.getStatus() != null
            && job.getStatus().getConditions() != null
            && job.getStatus().getConditions().stream()
                .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()));
    long revision = complete ? revision(job) : Long.MAX_VALUE;
    migrateJobs.merge(
        job.getMetadata().getUid(),
        new MigrateJob(app, image, revision),
        (a, b) -> a.completedAt() <= b.completedAt() ? a : b);
  }

  private void deployment(Deployment deployment) {
    var app =
        key(
            deployment,
            deployment.getMetadata().getLabels().get(DjangoAppResources.LABEL_INSTANCE));
    var image = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    deploymentImages
        .computeIfAbsent(app, k -> new ConcurrentHashMap<>())
        .merge(image, revision(deployment), Math::min);
  }

  private void secret(Secret secret) {
    var key = key(secret, secret.getMetadata().getName());
    keySecretUids
        .computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet())
        .add(secret.getMetadata().getUid());
    keySecretData
        .computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet())
        .add(
            digest(
                new TreeMap<>(secret.getData() == null ? Map.of() : secret.getData()).toString()));
  }

  private void app(DjangoApp app) {
    if (app.getStatus() == null) {
      return;
    }
    Conditions.find(app.getStatus().conditions, Conditions.READY)
        .filter(c -> "True".equals(c.getStatus()))
        .ifPresent(
            c ->
                readySince
                    .computeIfAbsent(
                        key(app, app.getMetadata().getName()), k -> ConcurrentHashMap.newKeySet())
                    .add(c.getLastTransitionTime()));
  }

  static String key(HasMetadata object, String name) {
    return object.getMetadata().getNamespace() + "/" + name;
  }

  private static long revision(HasMetadata object) {
    return Long.parseLong(object.getMetadata().getResourceVersion());
  }

  /** Only a digest of a Secret's data is kept, so that no value sits in the run's memory. */
  private static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> record) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        record.accept(object);
      }

      @Override
      public void onUpdate(T old, T object) {
        record.accept(object);
      }

      @Override
      public void onDelete(T object, boolean unknown) {}
    };
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
