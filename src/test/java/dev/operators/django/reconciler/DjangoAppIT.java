package dev.operators.django.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.SettingsSpec;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.dependent.BenchmarkChildren;
import dev.operators.django.status.Conditions;
import dev.operators.django.status.EventRecorder;
import dev.operators.django.testing.Edits;
import dev.operators.django.testing.LocalControlPlane;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@WithCluster
class DjangoAppIT {
  private static final Logger log = LoggerFactory.getLogger(DjangoAppIT.class);
  private static final Duration TIMEOUT = Polls.TIMEOUT;

  @RegisterExtension final OperatorExtension operator = new OperatorExtension();

  @Test
  void pollsExampleGetsAllChildrenAndBecomesReady(KubernetesClient client) {
    Polls.createSecrets(client);
    client.resource(Polls.app(client)).create();

    Polls.awaitReady(client, "polls");

    var configMap = client.configMaps().withName("polls-settings").get();
    assertThat(configMap.getData())
        .containsEntry("DEBUG", "")
        .hasEntrySatisfying(
            "DJANGO_ALLOWED_HOSTS",
            hosts -> assertThat(hosts).startsWith("polls.example.com,polls,"))
        .containsEntry("DJANGO_LOGLEVEL", "info")
        .containsEntry("DATABASE_ENGINE", "postgresql")
        .containsEntry("DATABASE_HOST", "db.example.internal")
        .containsEntry("DATABASE_PORT", "5432")
        .containsEntry("DATABASE_NAME", "polls")
        .containsEntry("STATIC_BUCKET_NAME", "polls-static")
        .containsEntry("STATIC_ENDPOINT_URL", "https://nyc3.digitaloceanspaces.com")
        .containsEntry("DJANGO_SETTINGS_MODULE", "mysite.settings")
        .doesNotContainKeys(
            "DATABASE_PASSWORD",
            "DATABASE_USERNAME",
            "DJANGO_SECRET_KEY",
            "STATIC_SECRET_KEY",
            "STATIC_ACCESS_KEY_ID");
    assertThat(configMap.getData().values()).doesNotContain("change-me");

    var secret = client.secrets().withName("polls-secret-key").get();
    var key = new String(Base64.getDecoder().decode(secret.getData().get("DJANGO_SECRET_KEY")));
    assertThat(key).hasSizeGreaterThanOrEqualTo(50);

    var deployment = client.apps().deployments().withName("polls").get();
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    var pod = deployment.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("docker.io/sammy/sammy-django:1.0.0");
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("gunicorn");
              assertThat(p.getContainerPort()).isEqualTo(8000);
            });
    assertThat(container.getEnvFrom()).isEmpty();
    assertThat(container.getEnv())
        .filteredOn(e -> e.getValueFrom().getConfigMapKeyRef() != null)
        .extracting(e -> e.getName() + "<-" + e.getValueFrom().getConfigMapKeyRef().getName())
        .contains("DEBUG<-polls-settings", "DJANGO_ALLOWED_HOSTS<-polls-settings");
    assertThat(container.getEnv())
        .filteredOn(e -> e.getValueFrom().getSecretKeyRef() != null)
        .extracting(
            e ->
                e.getName()
                    + "<-"
                    + e.getValueFrom().getSecretKeyRef().getName()
                    + "/"
                    + e.getValueFrom().getSecretKeyRef().getKey())
        .containsExactlyInAnyOrder(
            "DJANGO_SECRET_KEY<-polls-secret-key/DJANGO_SECRET_KEY",
            "DATABASE_USERNAME<-polls-db/username",
            "DATABASE_PASSWORD<-polls-db/password",
            "STATIC_ACCESS_KEY_ID<-polls-spaces/accessKeyId",
            "STATIC_SECRET_KEY<-polls-spaces/secretKey");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKey(DjangoAppResources.CONFIG_HASH_ANNOTATION);

    var service = client.services().withName("polls").get();
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(8000);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("gunicorn");
            });

    var ingress = client.network().v1().ingresses().withName("polls").get();
    // The sample names no class: the API server's DefaultIngressClass admission gave it the
    // cluster's default.
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo(LocalControlPlane.INGRESS_CLASS);
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt-staging");
    assertThat(ingress.getSpec().getRules())
        .singleElement()
        .satisfies(r -> assertThat(r.getHost()).isEqualTo("polls.example.com"));
    assertThat(ingress.getSpec().getTls())
        .singleElement()
        .satisfies(t -> assertThat(t.getSecretName()).isEqualTo("polls-tls"));

    var app = client.resources(DjangoApp.class).withName("polls").get();
    assertThat(app.getStatus().readyReplicas).isEqualTo(2);
    // No certificate is issued here (no TLS Secret), so no https URL yet.
    assertThat(app.getStatus().url).isEqualTo("http://polls.example.com/");
    assertThat(app.getStatus().observedGeneration).isEqualTo(app.getMetadata().getGeneration());
    for (var child : List.of(configMap, secret, deployment, service, ingress)) {
      assertThat(child.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(app.getMetadata().getUid()));
      assertThat(child.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "django-operator")
          .containsEntry("app.kubernetes.io/instance", "polls");
    }
    assertThat(
            client
                .pods()
                .withLabel("app.kubernetes.io/instance", "polls")
                .withLabel("app.kubernetes.io/component", "web")
                .list()
                .getItems())
        .hasSize(2)
        .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
    assertThat(
            Conditions.find(app.getStatus().conditions, Conditions.READY).orElseThrow().getReason())
        .isEqualTo("Ready");
    // The Ready Event is recorded just after the status it announces is written.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("Ready");
                          assertThat(e.getInvolvedObject().getName()).isEqualTo("polls");
                        }));
  }

  @Test
  void servesHealthEndpoints() throws Exception {
    var port = operator.running().operator().healthPort();
    var http = HttpClient.newHttpClient();
    for (var path : List.of("/healthz", "/readyz")) {
      var response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void newImageRollsTheDeployment(KubernetesClient client) {
    Polls.createReady(client);

    Edits.edit(
        client,
        "polls",
        app -> {
          app.getSpec().image = "docker.io/sammy/sammy-django:1.1.0";
          return app;
        });

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var app = Polls.awaitReady(client, "polls");
              assertThat(app.getStatus().image).isEqualTo("docker.io/sammy/sammy-django:1.1.0");
              assertThat(
                      client
                          .pods()
                          .withLabel("app.kubernetes.io/instance", "polls")
                          .withLabel("app.kubernetes.io/component", "web")
                          .list()
                          .getItems())
                  .hasSize(2)
                  .allSatisfy(
                      p ->
                          assertThat(p.getSpec().getContainers().get(0).getImage())
                              .isEqualTo("docker.io/sammy/sammy-django:1.1.0"));
            });
  }

  @Test
  void changedSettingsChangeTheConfigMapAndRollThePods(KubernetesClient client) {
    Polls.createReady(client);
    var hashBefore = configHash(client);

    Edits.edit(
        client,
        "polls",
        app -> {
          app.getSpec().settings.logLevel = SettingsSpec.LogLevel.debug;
          return app;
        });

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(client.configMaps().withName("polls-settings").get().getData())
                  .containsEntry("DJANGO_LOGLEVEL", "debug");
              assertThat(configHash(client)).isNotEqualTo(hashBefore);
            });
    Polls.awaitReady(client, "polls");
  }

  @Test
  void aRotatedSecretRollsThePodsWithoutWaitingForTheResync(KubernetesClient client) {
    // This operator resyncs every 5 minutes (the default): only the watch can be this quick.
    Polls.createReady(client);
    var hashBefore = configHash(client);

    client
        .secrets()
        .withName("polls-db")
        .edit(
            secret -> {
              secret.setStringData(Map.of("password", "rotated"));
              return secret;
            });

    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(configHash(client)).isNotEqualTo(hashBefore));
    Polls.awaitReady(client, "polls");
  }

  /**
   * At the default resync, and later than the stalled app's own rechecks (10 s, 20 s, 40 s after
   * the stall): only the Secret watch can start the release within 10 s of the Secret appearing.
   */
  @Test
  void aMissingSecretIsReportedAndPickedUpWhenItAppears(KubernetesClient client) {
    client.resource(Polls.app(client)).create();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var ready = Polls.condition(client, "polls", Conditions.READY);
              assertThat(ready.getReason()).isEqualTo("ReferenceNotFound");
              assertThat(ready.getMessage())
                  .contains("Secret polls-db (spec.database.credentialsSecret) not found")
                  .contains("Secret polls-spaces (spec.staticFiles.credentialsSecret) not found");
            });
    assertThat(client.apps().deployments().withName("polls").get()).isNull();
    assertThat(client.batch().v1().jobs().list().getItems()).isEmpty();

    // past the recheck 20 s after the stall: the next one is 40 s after it
    var stalledSince =
        Instant.parse(Polls.condition(client, "polls", Conditions.STALLED).getLastTransitionTime());
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> Instant.now().isAfter(stalledSince.plusSeconds(21)));
    Polls.createSecrets(client);
    var created = Instant.now();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !client.batch().v1().jobs().list().getItems().isEmpty());
    log.info(
        "the release started {} ms after the Secrets appeared",
        Duration.between(created, Instant.now()).toMillis());
    Polls.awaitReady(client, "polls");
  }

  /**
   * A namespace quota that admits no pod: the Job controller can only say so in an Event on the
   * migrate Job, which is watched (at the default resync), so the app names it within seconds
   * rather than at the Job's deadline.
   */
  @Test
  void aJobWhosePodsCannotBeCreatedIsNamedOnTheApp(KubernetesClient client) {
    client
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("no-pods")
                .endMetadata()
                .withNewSpec()
                .addToHard("pods", new Quantity("0"))
                .endSpec()
                .build())
        .create();
    Polls.createSecrets(client);
    client.resource(Polls.app(client)).create();
    var start = Instant.now();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var ready = Polls.condition(client, "polls", Conditions.READY);
              assertThat(ready.getReason()).isEqualTo("FailedCreate");
              assertThat(ready.getMessage())
                  .matches("Job polls-(migrate|static)-.*")
                  .contains("quota");
              assertThat(Polls.condition(client, "polls", Conditions.STALLED).getStatus())
                  .isEqualTo("True");
            });
    log.info(
        "a Job whose pods cannot be created named on the app {} ms after the app was created",
        Duration.between(start, Instant.now()).toMillis());
  }

  @Test
  void childrenDeletedByHandAreRestored(KubernetesClient client) {
    Polls.createReady(client);
    var key = client.secrets().withName("polls-secret-key").get().getData();

    client.services().withName("polls").delete();
    client.configMaps().withName("polls-settings").delete();
    client.network().v1().ingresses().withName("polls").delete();
    client
        .apps()
        .deployments()
        .withName("polls")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\","
                + "\"value\":\"evil:1.0\"}]");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(client.services().withName("polls").get()).isNotNull();
              assertThat(client.configMaps().withName("polls-settings").get()).isNotNull();
              assertThat(client.network().v1().ingresses().withName("polls").get()).isNotNull();
              assertThat(
                      client
                          .apps()
                          .deployments()
                          .withName("polls")
                          .get()
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .getImage())
                  .isEqualTo("docker.io/sammy/sammy-django:1.0.0");
            });
    assertThat(client.secrets().withName("polls-secret-key").get().getData()).isEqualTo(key);
    // each restored as the operator renders it, not just present
    var app = client.resources(DjangoApp.class).withName("polls").get();
    var desired = BenchmarkChildren.of(app);
    var service = client.services().withName("polls").get();
    var desiredService = (Service) kind(desired, Service.class);
    assertThat(service.getSpec().getSelector()).isEqualTo(desiredService.getSpec().getSelector());
    assertThat(service.getSpec().getPorts())
        .extracting(p -> p.getName() + ":" + p.getPort() + "->" + p.getTargetPort().getStrVal())
        .containsExactlyElementsOf(
            desiredService.getSpec().getPorts().stream()
                .map(p -> p.getName() + ":" + p.getPort() + "->" + p.getTargetPort().getStrVal())
                .toList());
    assertThat(client.configMaps().withName("polls-settings").get().getData())
        .isEqualTo(((ConfigMap) kind(desired, ConfigMap.class)).getData());
    var ingress = client.network().v1().ingresses().withName("polls").get();
    var desiredIngress = (Ingress) kind(desired, Ingress.class);
    assertThat(ingress.getSpec().getRules()).isEqualTo(desiredIngress.getSpec().getRules());
    assertThat(Objects.requireNonNullElse(ingress.getSpec().getTls(), List.of()))
        .isEqualTo(Objects.requireNonNullElse(desiredIngress.getSpec().getTls(), List.of()));
    for (var restored :
        List.<HasMetadata>of(
            service, ingress, client.configMaps().withName("polls-settings").get())) {
      assertThat(restored.getMetadata().getLabels())
          .containsAllEntriesOf(kind(desired, restored.getClass()).getMetadata().getLabels());
      assertThat(restored.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              owner -> {
                assertThat(owner.getUid()).isEqualTo(app.getMetadata().getUid());
                assertThat(owner.getController()).isTrue();
              });
    }
  }

  private static HasMetadata kind(List<HasMetadata> children, Class<?> type) {
    return children.stream().filter(type::isInstance).findFirst().orElseThrow();
  }

  /**
   * Labels are outside a Deployment's and an Ingress's generation, so a change to them alone must
   * still be seen (see KnownMatches); the Service keeps no generation at all.
   */
  @Test
  void labelsChangedByHandArePutBack(KubernetesClient client) {
    Polls.createReady(client);
    var patch =
        "[{\"op\":\"replace\",\"path\":\"/metadata/labels/app.kubernetes.io~1part-of\","
            + "\"value\":\"someone-else\"}]";
    var json = PatchContext.of(PatchType.JSON);
    var generation =
        client.apps().deployments().withName("polls").get().getMetadata().getGeneration();

    client.apps().deployments().withName("polls").patch(json, patch);
    client.network().v1().ingresses().withName("polls").patch(json, patch);
    client.services().withName("polls").patch(json, patch);

    assertThat(client.apps().deployments().withName("polls").get().getMetadata().getGeneration())
        .as("a label change leaves the generation")
        .isEqualTo(generation);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              for (var child :
                  List.of(
                      client.apps().deployments().withName("polls").get(),
                      client.network().v1().ingresses().withName("polls").get(),
                      client.services().withName("polls").get())) {
                assertThat(child.getMetadata().getLabels())
                    .as(child.getKind())
                    .containsEntry("app.kubernetes.io/part-of", "polls");
              }
            });
  }

  @Test
  void deletingTheAppRemovesItsChildrenButNotTheUsersSecrets(KubernetesClient client) {
    Polls.createReady(client);

    client.resources(DjangoApp.class).withName("polls").delete();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(client.apps().deployments().withName("polls").get()).isNull();
              assertThat(client.services().withName("polls").get()).isNull();
              assertThat(client.configMaps().withName("polls-settings").get()).isNull();
              assertThat(client.secrets().withName("polls-secret-key").get()).isNull();
              assertThat(client.network().v1().ingresses().withName("polls").get()).isNull();
            });
    assertThat(client.secrets().withName("polls-db").get()).isNotNull();
    assertThat(client.secrets().withName("polls-spaces").get()).isNotNull();
  }

  @Test
  void appsInTwoNamespacesStayIsolated(KubernetesClient client, TestNamespace first) {
    var second = watchASecondNamespace(client, first);
    try {
      KubernetesClient other = client.adapt(NamespacedKubernetesClient.class).inNamespace(second);
      for (var c : List.of(client, other)) {
        Polls.createSecrets(c);
      }
      client.resource(Polls.app(client)).create();
      var otherApp = Polls.app(other);
      otherApp.getSpec().ingress.host = "polls.example.org";
      otherApp.getSpec().replicas = 1;
      other.resource(otherApp).create();

      Polls.awaitReady(client, "polls");
      Polls.awaitReady(other, "polls");

      assertThat(
              client
                  .configMaps()
                  .withName("polls-settings")
                  .get()
                  .getData()
                  .get("DJANGO_ALLOWED_HOSTS"))
          .startsWith("polls.example.com,")
          .contains("polls." + client.getNamespace() + ".svc");
      assertThat(
              other
                  .configMaps()
                  .withName("polls-settings")
                  .get()
                  .getData()
                  .get("DJANGO_ALLOWED_HOSTS"))
          .startsWith("polls.example.org,")
          .contains("polls." + other.getNamespace() + ".svc");
      assertThat(
              client
                  .pods()
                  .withLabel("app.kubernetes.io/instance", "polls")
                  .withLabel("app.kubernetes.io/component", "web")
                  .list()
                  .getItems())
          .hasSize(2);
      assertThat(
              other
                  .pods()
                  .withLabel("app.kubernetes.io/instance", "polls")
                  .withLabel("app.kubernetes.io/component", "web")
                  .list()
                  .getItems())
          .hasSize(1);

      client.resources(DjangoApp.class).withName("polls").delete();
      await()
          .atMost(TIMEOUT)
          .until(() -> client.apps().deployments().withName("polls").get() == null);
      assertThat(other.apps().deployments().withName("polls").get()).isNotNull();
      assertThat(
              Conditions.isTrue(
                  other.resources(DjangoApp.class).withName("polls").get().getStatus().conditions,
                  Conditions.READY))
          .isTrue();
    } finally {
      client.namespaces().withName(second).delete();
    }
  }

  /**
   * java-operator-sdk updates a ConfigMap by a PUT built from the cached object, metadata and all.
   * With several namespaces the caches keep whole objects (see PrunedItemStore.forController), and
   * the operator's client reads only the operator's own managed-fields entry: here one as an
   * operator that applied its ConfigMaps would have left. A PUT carrying that shortened list would
   * erase every other manager's record.
   */
  @Test
  void aConfigMapUpdateKeepsTheRecordOfOtherManagers(KubernetesClient client, TestNamespace first) {
    var second = watchASecondNamespace(client, first);
    try {
      Polls.createReady(client);
      for (var manager : List.of("someone-else", OperatorSettings.FIELD_MANAGER)) {
        client
            .configMaps()
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("polls-settings")
                    .addToLabels(manager, "yes")
                    .endMetadata()
                    .build())
            .fieldManager(manager)
            .serverSideApply();
      }

      Edits.edit(
          client,
          "polls",
          app -> {
            app.getSpec().settings.logLevel = SettingsSpec.LogLevel.debug;
            return app;
          });

      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  client
                      .configMaps()
                      .withName("polls-settings")
                      .get()
                      .getData()
                      .get("DJANGO_LOGLEVEL")
                      .equals("debug"));
      var configMap = client.configMaps().withName("polls-settings").get();
      assertThat(configMap.getMetadata().getLabels()).containsEntry("someone-else", "yes");
      assertThat(configMap.getMetadata().getManagedFields())
          .extracting(ManagedFieldsEntry::getManager)
          .contains("someone-else");
    } finally {
      client.namespaces().withName(second).delete();
    }
  }

  /** A second namespace beside the test's, and the operator restarted to watch both. */
  private String watchASecondNamespace(KubernetesClient client, TestNamespace first) {
    var second = first.name() + "-b";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(second).endMetadata().build())
        .create();
    await()
        .atMost(TIMEOUT)
        .until(
            () -> client.serviceAccounts().inNamespace(second).withName("default").get() != null);
    operator.restartWatching(first.name() + "," + second);
    return second;
  }

  /**
   * Twenty apps at once: each child's event starts a second reconcile while the first one's status
   * write may not have come back through the watch yet. That reconcile must read the written status
   * (from the operator's cache), not announce the same transition again. A new app's first
   * RollingOut is not announced at all; its Ready is, once.
   */
  @Test
  void eachTransitionIsAnnouncedOnce(KubernetesClient client) {
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .withStringData(Map.of("username", "u", "password", "p"))
                .build())
        .create();
    double conflictsBefore = statusConflicts(client);
    var names = IntStream.range(0, 20).mapToObj(i -> "app-" + i).toList();
    names.parallelStream()
        .forEach(
            name ->
                client
                    .resource(
                        client
                            .getKubernetesSerialization()
                            .unmarshal(
                                """
            apiVersion: django.operators.dev/v1alpha1
            kind: DjangoApp
            metadata: {name: %s}
            spec:
              image: registry.example.com/blog:1.0.0
              replicas: 1
              database: {host: db.internal, name: blog, credentialsSecret: db}
              migrations: {enabled: false}
            """
                                    .formatted(name),
                                DjangoApp.class))
                    .create());
    names.forEach(name -> Polls.awaitReady(client, name));

    // Each Ready Event is recorded just after the status it announces: wait for all of them.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                announced(client)
                    .keySet()
                    .containsAll(names.stream().map(name -> name + " Ready").toList()));
    var announced = announced(client);
    for (var name : names) {
      assertThat(announced)
          .as(name)
          .containsEntry(name + " Ready", 1L)
          .doesNotContainKey(name + " RollingOut");
    }
    // A status computed from an outdated app is refused with 409: none was.
    assertThat(statusConflicts(client) - conflictsBefore).isZero();
  }

  /**
   * A crash between a status write and its Event, reproduced by deleting the Event: the next
   * operator process records it once, and records nothing else again.
   */
  @Test
  void anEventLostToACrashIsRecordedByTheNextProcess(KubernetesClient client) {
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .withStringData(Map.of("username", "u", "password", "p"))
                .build())
        .create();
    client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    """
        apiVersion: django.operators.dev/v1alpha1
        kind: DjangoApp
        metadata: {name: lost}
        spec:
          image: registry.example.com/blog:1.0.0
          replicas: 1
          database: {host: db.internal, name: blog, credentialsSecret: db}
        """,
                    DjangoApp.class))
        .create();
    Polls.awaitReady(client, "lost");
    await().atMost(Duration.ofSeconds(30)).until(() -> announced(client).containsKey("lost Ready"));
    var before = announced(client);
    client.v1().events().withField("reason", "Ready").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !announced(client).containsKey("lost Ready"));

    operator.restart();
    await().atMost(Duration.ofSeconds(30)).until(() -> announced(client).containsKey("lost Ready"));
    assertThat(announced(client)).isEqualTo(before);
  }

  /** The operator's Events, counted by "app reason". */
  private static Map<String, Long> announced(KubernetesClient client) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> EventRecorder.COMPONENT.equals(e.getReportingComponent()))
        .collect(
            Collectors.groupingBy(
                e -> e.getInvolvedObject().getName() + " " + e.getReason(), Collectors.counting()));
  }

  /** 409 answers to writes of a DjangoApp's status, from the API server's own counter. */
  private static double statusConflicts(KubernetesClient client) {
    return client
        .raw("/metrics")
        .lines()
        .filter(
            l ->
                l.startsWith("apiserver_request_total{")
                    && l.contains("code=\"409\"")
                    && l.contains("resource=\"djangoapps\"")
                    && l.contains("subresource=\"status\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  static String configHash(KubernetesClient client) {
    return client
        .apps()
        .deployments()
        .withName("polls")
        .get()
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(DjangoAppResources.CONFIG_HASH_ANNOTATION);
  }
}
