package dev.operators.django.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.AvailabilitySpec;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.ManagementCommandSpec;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.status.Conditions;
import dev.operators.django.status.ProcessAvailability;
import dev.operators.django.testing.Edits;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.WatchClosures;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Processes and schedules on the real control plane (kwok runs the pods): the Celery sample
 * (deploy/samples/polls-celery.yaml) with a web autoscaler, a worker, a beat and clearsessions.
 */
@WithCluster
class ProcessesIT {
  static final Duration TIMEOUT = Duration.ofSeconds(120);
  static final String V1 = "docker.io/sammy/sammy-django:1.0.0";
  static final String V2 = "docker.io/sammy/sammy-django:1.1.0";

  @RegisterExtension final OperatorExtension operator = new OperatorExtension();

  private final List<String> history = new CopyOnWriteArrayList<>();
  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private final WatchClosures closures = new WatchClosures();

  @AfterEach
  void stopWatching() {
    watches.forEach(Watch::close);
    closures.assertNone();
  }

  static DjangoApp awaitReady(KubernetesClient client) {
    return Polls.awaitReady(client, "polls", TIMEOUT);
  }

  @Test
  void webWorkerAndBeatReachReadyAndMoveToANewImageOnlyAfterItsMigrations(KubernetesClient client) {
    watchOrder(client);
    Polls.createSecrets(client);
    client.resource(Polls.celery(client)).create();

    var app = awaitReady(client);
    assertThat(app.getStatus().processSummary).isEqualTo("worker 2/2, beat 1/1");
    assertThat(app.getStatus().processes)
        .extracting(p -> p.kind)
        .containsExactly("Deployment", "StatefulSet");
    assertThat(
            Conditions.isTrue(app.getStatus().conditions, ProcessAvailability.PROCESSES_AVAILABLE))
        .isTrue();
    var migrateV1 =
        "job " + DjangoAppResources.imageJob(app, DjangoAppResources.MIGRATE) + " succeeded";
    for (var child :
        List.of("Deployment polls", "Deployment polls-worker", "StatefulSet polls-beat")) {
      assertThat(history.indexOf(migrateV1))
          .as(child)
          .isGreaterThan(-1)
          .isLessThan(history.indexOf(child + " " + V1));
    }
    var web = client.apps().deployments().withName("polls").get();
    var worker = client.apps().deployments().withName("polls-worker").get();
    var beat = client.apps().statefulSets().withName("polls-beat").get();
    assertThat(worker.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .isEqualTo(web.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv());
    assertThat(beat.getSpec().getTemplate().getMetadata().getAnnotations())
        .isEqualTo(web.getSpec().getTemplate().getMetadata().getAnnotations());
    assertThat(beat.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(app.getMetadata().getUid()));

    var edited =
        Edits.edit(
            client,
            "polls",
            a -> {
              a.getSpec().image = V2;
              return a;
            });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = awaitReady(client).getStatus();
              assertThat(status.image).isEqualTo(V2);
              assertThat(status.processes).allSatisfy(p -> assertThat(p.image).isEqualTo(V2));
            });
    var migrateV2 =
        "job " + DjangoAppResources.imageJob(edited, DjangoAppResources.MIGRATE) + " succeeded";
    for (var child :
        List.of("Deployment polls", "Deployment polls-worker", "StatefulSet polls-beat")) {
      assertThat(history.indexOf(migrateV2))
          .as("%s in %s", child, history)
          .isGreaterThan(-1)
          .isLessThan(history.indexOf(child + " " + V2));
    }
  }

  @Test
  void aScheduleRunsAndAFailedRunIsAWarningNotUnreadiness(KubernetesClient client) {
    Polls.createSecrets(client);
    var app = Polls.celery(client);
    app.getSpec().processes = null;
    client.resource(app).create();
    awaitReady(client);
    var cronJob = client.batch().v1().cronjobs().withName("polls-clearsessions").get();
    assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    assertThat(cronJob.getSpec().getTimeZone()).isEqualTo("Etc/UTC");
    assertThat(
            cronJob
                .getSpec()
                .getJobTemplate()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .isEqualTo(V1);

    runNow(client, cronJob, "polls-clearsessions-manual-1");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var schedules =
                  client.resources(DjangoApp.class).withName("polls").get().getStatus().schedules;
              assertThat(schedules)
                  .singleElement()
                  .satisfies(
                      s -> {
                        assertThat(s.lastJob).isEqualTo("polls-clearsessions-manual-1");
                        assertThat(s.lastResult).isEqualTo("Succeeded");
                        assertThat(s.lastCompletionTime).isNotNull();
                      });
            });

    // kwok fails the Job pods of registry.test/polls:broken (src/test/control-plane/stages);
    // without migrations this image serves (its web pods run) and its scheduled runs fail.
    Edits.edit(
        client,
        "polls",
        a -> {
          a.getSpec().image = "registry.test/polls:broken";
          a.getSpec().migrations = new ManagementCommandSpec();
          a.getSpec().migrations.enabled = false;
          a.getSpec().staticFiles = null;
          a.getSpec().envFrom.clear();
          return a;
        });
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                "registry.test/polls:broken"
                    .equals(
                        client
                            .batch()
                            .v1()
                            .cronjobs()
                            .withName("polls-clearsessions")
                            .get()
                            .getSpec()
                            .getJobTemplate()
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage()));
    awaitReady(client);
    runNow(
        client,
        client.batch().v1().cronjobs().withName("polls-clearsessions").get(),
        "polls-clearsessions-manual-2");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = client.resources(DjangoApp.class).withName("polls").get().getStatus();
              assertThat(status.schedules)
                  .singleElement()
                  .satisfies(
                      s -> {
                        assertThat(s.lastJob).isEqualTo("polls-clearsessions-manual-2");
                        assertThat(s.lastResult).isEqualTo("Failed");
                        assertThat(s.lastFailureMessage).isNotBlank();
                      });
              assertThat(warnings(client, "ScheduleFailed"))
                  .singleElement()
                  .satisfies(
                      e -> assertThat(e.getMessage()).contains("polls-clearsessions-manual-2"));
            });
    assertThat(Conditions.isTrue(awaitReady(client).getStatus().conditions, Conditions.READY))
        .as("a failed run leaves the app Ready")
        .isTrue();
  }

  @Test
  void theBudgetAndAutoscalerTargetTheWebAndTheAutoscalerIsNotFought(KubernetesClient client) {
    Polls.createSecrets(client);
    var app = Polls.celery(client);
    app.getSpec().autoscaling.minReplicas = 3;
    client.resource(app).create();
    awaitReady(client);

    var pdb = client.policy().v1().podDisruptionBudget().withName("polls").get();
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "web")
        .containsEntry("app.kubernetes.io/instance", "polls");
    var hpa = client.autoscaling().v2().horizontalPodAutoscalers().withName("polls").get();
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("polls");
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);
    assertThat(client.autoscaling().v2().horizontalPodAutoscalers().list().getItems())
        .as("the worker has fixed replicas")
        .hasSize(1);

    // The HPA controller raises the Deployment to minReplicas (no metrics needed for that);
    // the operator leaves it there, and its pods' budget covers all three.
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(
                      client.apps().deployments().withName("polls").get().getSpec().getReplicas())
                  .isEqualTo(3);
              assertThat(awaitReady(client).getStatus().readyReplicas).isEqualTo(3);
            });
    var deployment = client.apps().deployments().withName("polls").get();
    assertThat(deployment.getMetadata().getManagedFields())
        .filteredOn(f -> OperatorSettings.FIELD_MANAGER.equals(f.getManager()))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.getFieldsV1().getAdditionalProperties().toString())
                    .doesNotContain("f:replicas"));
    // A spec change reconciles the app and rewrites the worker, never the web's replicas.
    var running = operator.running();
    running.requests().reset();
    long generation = deployment.getMetadata().getGeneration();
    Edits.edit(
        client,
        "polls",
        a -> {
          a.getSpec().processes.get(0).replicas = 3;
          return a;
        });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(awaitReady(client).getStatus().processSummary)
                    .isEqualTo("worker 3/3, beat 1/1"));
    var web = client.apps().deployments().withName("polls").get();
    assertThat(web.getSpec().getReplicas()).isEqualTo(3);
    assertThat(web.getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(running.requests().writes())
        .as("writes")
        .noneMatch(w -> w.contains("/deployments/polls?") || w.endsWith("/deployments/polls"))
        .anyMatch(w -> w.contains("/deployments/polls-worker"));
  }

  @Test
  void turningEachFeatureOffRemovesItsChild(KubernetesClient client) {
    Polls.createSecrets(client);
    client.resource(Polls.celery(client)).create();
    awaitReady(client);
    assertThat(
            client
                .apps()
                .deployments()
                .withName("polls")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getTopologySpreadConstraints())
        .hasSize(2);

    Edits.edit(
        client,
        "polls",
        a -> {
          a.getSpec().availability = new AvailabilitySpec();
          a.getSpec().availability.disruptionBudget = false;
          a.getSpec().availability.topologySpread = false;
          a.getSpec().autoscaling = null;
          a.getSpec().replicas = 2;
          a.getSpec().processes = List.of(a.getSpec().processes.get(0)); // the beat goes
          a.getSpec().schedules = null;
          return a;
        });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(client.policy().v1().podDisruptionBudget().withName("polls").get())
                  .isNull();
              assertThat(
                      client.autoscaling().v2().horizontalPodAutoscalers().withName("polls").get())
                  .isNull();
              assertThat(client.apps().statefulSets().withName("polls-beat").get()).isNull();
              assertThat(client.batch().v1().cronjobs().withName("polls-clearsessions").get())
                  .isNull();
              assertThat(
                      client
                          .apps()
                          .deployments()
                          .withName("polls")
                          .get()
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getTopologySpreadConstraints())
                  .isNullOrEmpty();
              assertThat(
                      client
                          .apps()
                          .deployments()
                          .withName("polls-worker")
                          .get()
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getTopologySpreadConstraints())
                  .isNullOrEmpty();
              var status = awaitReady(client).getStatus();
              assertThat(status.processSummary).isEqualTo("worker 2/2");
              assertThat(status.schedules).isNull();
            });

    Edits.edit(
        client,
        "polls",
        a -> {
          a.getSpec().processes = null;
          return a;
        });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(client.apps().deployments().withName("polls-worker").get()).isNull();
              assertThat(client.apps().deployments().withName("polls").get()).isNotNull();
              assertThat(awaitReady(client).getStatus().processes).isNull();
            });
  }

  /** What kubectl create job --from=cronjob/... creates. */
  static void runNow(KubernetesClient client, CronJob cronJob, String name) {
    var template = cronJob.getSpec().getJobTemplate();
    client
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(template.getMetadata().getLabels())
                .addToAnnotations("cronjob.kubernetes.io/instantiate", "manual")
                .addNewOwnerReference()
                .withApiVersion("batch/v1")
                .withKind("CronJob")
                .withName(cronJob.getMetadata().getName())
                .withUid(cronJob.getMetadata().getUid())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withSpec(template.getSpec())
                .build())
        .create();
  }

  static List<Event> warnings(KubernetesClient client, String reason) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason()))
        .toList();
  }

  /** "job <name> succeeded" and "<Kind> <name> <image>" lines, in the order the watches saw. */
  private void watchOrder(KubernetesClient client) {
    watches.add(
        client
            .batch()
            .v1()
            .jobs()
            .watch(
                new Recorder<Job>(
                    "Jobs",
                    job ->
                        job.getStatus() != null
                                && job.getStatus().getSucceeded() != null
                                && job.getStatus().getSucceeded() > 0
                            ? "job " + job.getMetadata().getName() + " succeeded"
                            : null)));
    watches.add(
        client
            .apps()
            .deployments()
            .watch(new Recorder<>("Deployments", d -> line(d, d.getSpec().getTemplate()))));
    watches.add(
        client
            .apps()
            .statefulSets()
            .watch(new Recorder<>("StatefulSets", s -> line(s, s.getSpec().getTemplate()))));
  }

  private static String line(HasMetadata child, PodTemplateSpec template) {
    return child.getKind()
        + " "
        + child.getMetadata().getName()
        + " "
        + template.getSpec().getContainers().get(0).getImage();
  }

  private final class Recorder<T> implements Watcher<T> {
    private final String watch;
    private final Function<T, String> describe;

    Recorder(String watch, Function<T, String> describe) {
      this.watch = watch;
      this.describe = describe;
    }

    @Override
    public void eventReceived(Action action, T resource) {
      var line = describe.apply(resource);
      if (line != null && !history.contains(line)) {
        history.add(line);
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      closures.record(watch, cause);
    }
  }
}
