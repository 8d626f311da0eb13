package dev.operators.django.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.JobsSpec;
import dev.operators.django.api.ManagementCommandSpec;
import dev.operators.django.api.SuperuserSpec;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.Edits;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.WatchClosures;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * migrate and collectstatic gate every rollout; createsuperuser follows its Secret. kwok completes
 * Job pods, fails those of registry.test/polls:broken and delays those of registry.test/polls:slow
 * (src/test/control-plane/stages).
 */
@WithCluster
class ReleaseLifecycleIT {
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  // A 2 s resync: the gate is re-evaluated often, so an out-of-order step would show.
  @RegisterExtension
  final OperatorExtension operator =
      new OperatorExtension().withEnv("RESYNC_INTERVAL_SECONDS", "2");

  /** "job <name> succeeded" and "deployment image <image>" lines, in the order seen. */
  private final List<String> history = new CopyOnWriteArrayList<>();

  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private final WatchClosures closures = new WatchClosures();

  @BeforeEach
  void watchJobsAndDeployment(KubernetesClient client) {
    watches.add(
        client
            .batch()
            .v1()
            .jobs()
            .watch(
                new Recorder<>(
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
            .watch(
                new Recorder<>(
                    "Deployments",
                    deployment ->
                        "deployment image "
                            + deployment
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage())));
  }

  @AfterEach
  void stopWatching() {
    watches.forEach(Watch::close);
    closures.assertNone();
  }

  @Test
  void theFirstDeployMigratesBeforeTheDeploymentAppears(KubernetesClient client) {
    Polls.createSecrets(client);
    client.resource(Polls.app(client)).create();

    var app = awaitReady(client);
    var migrate =
        "job " + DjangoAppResources.imageJob(app, DjangoAppResources.MIGRATE) + " succeeded";
    var collect =
        "job " + DjangoAppResources.imageJob(app, DjangoAppResources.STATIC) + " succeeded";
    assertThat(history).contains(migrate, collect);
    assertThat(history.indexOf(migrate))
        .isLessThan(history.indexOf("deployment image docker.io/sammy/sammy-django:1.0.0"));
    assertThat(history.indexOf(collect))
        .isLessThan(history.indexOf("deployment image docker.io/sammy/sammy-django:1.0.0"));
    assertThat(app.getStatus().migratedImage).isEqualTo("docker.io/sammy/sammy-django:1.0.0");
    assertThat(Conditions.isTrue(app.getStatus().conditions, Conditions.MIGRATIONS_APPLIED))
        .isTrue();

    var job =
        client
            .batch()
            .v1()
            .jobs()
            .withName(DjangoAppResources.imageJob(app, DjangoAppResources.MIGRATE))
            .get();
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getCommand())
        .containsExactly("python", "manage.py", "migrate", "--noinput");
    var web =
        client
            .apps()
            .deployments()
            .withName("polls")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(container.getImage()).isEqualTo(web.getImage());
    assertThat(container.getEnv()).isEqualTo(web.getEnv());
    assertThat(container.getEnvFrom()).isEqualTo(web.getEnvFrom());
    assertThat(job.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", "polls")
        .containsEntry("app.kubernetes.io/component", "migrate")
        .containsEntry("app.kubernetes.io/managed-by", "django-operator");
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo(app.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(1);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(900L);
  }

  @Test
  void aNewImageIsMigratedThenRolledOut(KubernetesClient client) {
    Polls.createSecrets(client);
    client.resource(Polls.app(client)).create();
    awaitReady(client);

    var app =
        edit(
            client,
            a -> {
              a.getSpec().image = "docker.io/sammy/sammy-django:1.1.0";
              return a;
            });

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(awaitReady(client).getStatus().image)
                    .isEqualTo("docker.io/sammy/sammy-django:1.1.0"));
    var migrate =
        "job " + DjangoAppResources.imageJob(app, DjangoAppResources.MIGRATE) + " succeeded";
    assertThat(history.indexOf(migrate))
        .isGreaterThan(-1)
        .isLessThan(history.indexOf("deployment image docker.io/sammy/sammy-django:1.1.0"));
  }

  @Test
  void aFailedMigrationKeepsTheOldImageAndSaysSo(KubernetesClient client) {
    Polls.createSecrets(client);
    client.resource(Polls.app(client)).create();
    awaitReady(client);

    var broken =
        edit(
            client,
            a -> {
              a.getSpec().image = "registry.test/polls:broken";
              return a;
            });

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = client.resources(DjangoApp.class).withName("polls").get().getStatus();
              var ready = Conditions.find(status.conditions, Conditions.READY).orElseThrow();
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("MigrationFailed");
              assertThat(ready.getMessage())
                  .contains(DjangoAppResources.imageJob(broken, DjangoAppResources.MIGRATE))
                  .contains("BackoffLimitExceeded")
                  .contains("keeps serving docker.io/sammy/sammy-django:1.0.0");
              var migrations =
                  Conditions.find(status.conditions, Conditions.MIGRATIONS_APPLIED).orElseThrow();
              assertThat(migrations.getStatus()).isEqualTo("False");
              assertThat(migrations.getReason()).isEqualTo("MigrationFailed");
              assertThat(Conditions.isTrue(status.conditions, Conditions.STALLED)).isTrue();
              assertThat(status.migratedImage).isEqualTo("docker.io/sammy/sammy-django:1.0.0");
            });
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client.v1().events().list().getItems().stream()
                    .map(Event::getReason)
                    .anyMatch("MigrationFailed"::equals));
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> webImage(client).equals("docker.io/sammy/sammy-django:1.0.0"));
    assertThat(client.pods().withLabel("app.kubernetes.io/component", "web").list().getItems())
        .allSatisfy(
            p ->
                assertThat(p.getSpec().getContainers().get(0).getImage())
                    .isEqualTo("docker.io/sammy/sammy-django:1.0.0"));

    edit(
        client,
        a -> {
          a.getSpec().image = "registry.test/polls:3";
          return a;
        });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(awaitReady(client).getStatus().image)
                    .isEqualTo("registry.test/polls:3"));
  }

  @Test
  void aRestartDuringAMigrationNeitherDuplicatesNorRerunsIt(KubernetesClient client) {
    Polls.createSecrets(client);
    var app = Polls.app(client);
    app.getSpec().image = "registry.test/polls:slow";
    app.getSpec().staticFiles = null;
    client.resource(app).create();
    var name = DjangoAppResources.imageJob(app, DjangoAppResources.MIGRATE);
    await().atMost(TIMEOUT).until(() -> client.batch().v1().jobs().withName(name).get() != null);
    var uid = client.batch().v1().jobs().withName(name).get().getMetadata().getUid();
    assertThat(client.apps().deployments().withName("polls").get()).isNull();

    operator.restart();

    awaitReady(client);
    var migrations =
        client
            .batch()
            .v1()
            .jobs()
            .withLabel("app.kubernetes.io/component", "migrate")
            .list()
            .getItems();
    assertThat(migrations)
        .singleElement()
        .satisfies(j -> assertThat(j.getMetadata().getUid()).isEqualTo(uid));

    // Once finished, another restart does not run it again.
    operator.restart();
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(
            () ->
                client
                        .batch()
                        .v1()
                        .jobs()
                        .withLabel("app.kubernetes.io/component", "migrate")
                        .list()
                        .getItems()
                        .size()
                    == 1);
  }

  @Test
  void collectstaticRunsOnlyWhenStaticStorageIsConfigured(KubernetesClient client) {
    Polls.createSecrets(client);
    var app = Polls.app(client);
    app.getSpec().staticFiles = null;
    client.resource(app).create();
    awaitReady(client);
    assertThat(componentsOfJobs(client)).containsExactly("migrate");

    edit(
        client,
        a -> {
          a.getSpec().staticFiles = Polls.app(client).getSpec().staticFiles;
          return a;
        });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(componentsOfJobs(client))
                    .containsExactlyInAnyOrder("migrate", "static"));
  }

  @Test
  void createsuperuserRunsAgainOnlyWhenItsSecretChanges(KubernetesClient client) {
    Polls.createSecrets(client);
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("polls-admin")
                .endMetadata()
                .withStringData(
                    Map.of(
                        "username",
                        "admin",
                        "email",
                        "admin@example.com",
                        "password",
                        "correct horse battery staple"))
                .build())
        .create();
    var app = Polls.app(client);
    app.getSpec().superuser = new SuperuserSpec();
    app.getSpec().superuser.credentialsSecret = "polls-admin";
    client.resource(app).create();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(superuserJobs(client)).hasSize(1);
              var status = awaitReady(client).getStatus();
              assertThat(Conditions.isTrue(status.conditions, Conditions.SUPERUSER_CREATED))
                  .isTrue();
            });
    var job = superuserJobs(client).get(0);
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getCommand()).startsWith("python", "manage.py", "shell", "-c");
    assertThat(container.getEnv())
        .filteredOn(e -> e.getName().startsWith("DJANGO_SUPERUSER_"))
        .allSatisfy(
            e -> {
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("polls-admin");
            });
    assertThat(client.batch().v1().jobs().withName(job.getMetadata().getName()).get().toString())
        .doesNotContain("correct horse battery staple");

    // Unrelated changes and a few resyncs later: still one.
    edit(
        client,
        a -> {
          a.getSpec().replicas = 3;
          return a;
        });
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(7))
        .until(() -> superuserJobs(client).size() == 1);

    client
        .secrets()
        .withName("polls-admin")
        .edit(
            s -> {
              s.setStringData(Map.of("password", "a new password"));
              return s;
            });
    await().atMost(TIMEOUT).until(() -> superuserJobs(client).size() == 2);
  }

  @Test
  void oldJobsAreCleanedUpKeepingTheLastFew(KubernetesClient client) {
    Polls.createSecrets(client);
    var app = Polls.app(client);
    app.getSpec().staticFiles = null;
    app.getSpec().jobs = new JobsSpec();
    app.getSpec().jobs.historyLimit = 2;
    client.resource(app).create();
    awaitReady(client);
    for (var tag : List.of("1.1", "1.2", "1.3", "1.4")) {
      edit(
          client,
          a -> {
            a.getSpec().image = "docker.io/sammy/sammy-django:" + tag;
            return a;
          });
      await().atMost(TIMEOUT).until(() -> webImage(client).endsWith(":" + tag));
    }
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .batch()
                            .v1()
                            .jobs()
                            .withLabel("app.kubernetes.io/component", "migrate")
                            .list()
                            .getItems())
                    .extracting(
                        j ->
                            j.getMetadata()
                                .getAnnotations()
                                .get(DjangoAppResources.IMAGE_ANNOTATION))
                    .containsExactlyInAnyOrder(
                        "docker.io/sammy/sammy-django:1.4",
                        "docker.io/sammy/sammy-django:1.3",
                        "docker.io/sammy/sammy-django:1.2"));
  }

  @Test
  void eachStepCanBeTurnedOff(KubernetesClient client) {
    Polls.createSecrets(client);
    var app = Polls.app(client);
    app.getSpec().migrations = new ManagementCommandSpec();
    app.getSpec().migrations.enabled = false;
    app.getSpec().collectStatic = new ManagementCommandSpec();
    app.getSpec().collectStatic.enabled = false;
    client.resource(app).create();

    var ready = awaitReady(client);
    assertThat(client.batch().v1().jobs().list().getItems()).isEmpty();
    assertThat(
            Conditions.find(ready.getStatus().conditions, Conditions.MIGRATIONS_APPLIED)
                .orElseThrow()
                .getReason())
        .isEqualTo("Disabled");
  }

  private static DjangoApp awaitReady(KubernetesClient client) {
    return Polls.awaitReady(client, "polls", TIMEOUT);
  }

  private static DjangoApp edit(KubernetesClient client, UnaryOperator<DjangoApp> change) {
    return Edits.edit(client, "polls", change);
  }

  private static String webImage(KubernetesClient client) {
    Deployment deployment = client.apps().deployments().withName("polls").get();
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static List<String> componentsOfJobs(KubernetesClient client) {
    return client.batch().v1().jobs().list().getItems().stream()
        .map(j -> j.getMetadata().getLabels().get("app.kubernetes.io/component"))
        .distinct()
        .sorted()
        .toList();
  }

  private static List<Job> superuserJobs(KubernetesClient client) {
    return client
        .batch()
        .v1()
        .jobs()
        .withLabel("app.kubernetes.io/component", "superuser")
        .list()
        .getItems();
  }

  /** Records a line per watch event, once per distinct line. */
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
