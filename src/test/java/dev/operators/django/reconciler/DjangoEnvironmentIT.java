package dev.operators.django.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.EnvFromSpec;
import dev.operators.django.api.SuperuserSpec;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.Edits;
import dev.operators.django.testing.KubeletEnvironment;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.Python;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The environment contract between the operator and Django: what the container really gets
 * (envFrom, then env, resolved as the kubelet does) and how Django settings modules read it,
 * evaluated by a real Python interpreter.
 */
@WithCluster
class DjangoEnvironmentIT {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final String USER_KEY = "the-tutorial-users-own-secret-key-0123456789";

  @RegisterExtension final OperatorExtension operator = new OperatorExtension();

  @Test
  void debugFalseReadsAsFalseAndTrueAsTrueInEveryCommonIdiom(KubernetesClient client) {
    Polls.createSecrets(client);
    // The tutorial's own ConfigMap says DEBUG=True: the spec must still win.
    client.resource(tutorialConfigMap()).create();
    var app = Polls.app(client);
    var source = new EnvFromSpec();
    source.configMapRef = new EnvFromSpec.NameRef("polls-config");
    app.getSpec().envFrom.add(source);
    client.resource(app).create();

    var off = await().atMost(TIMEOUT).until(() -> webEnvironment(client), env -> env != null);
    assertThat(Python.runJson("debug_idioms.py", off))
        .as("DEBUG=%s", off.get("DEBUG"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "os.getenv('DEBUG', False)", false,
                "os.getenv('DEBUG') == 'True'", false,
                "os.environ.get('DEBUG', 'False').lower() in ('true', '1', 'yes')", false,
                "env.bool('DEBUG', default=False)", false,
                "env.bool('DEBUG', default=True)", false,
                "Env(DEBUG=(bool, False))('DEBUG')", false,
                // The one idiom an empty value cannot satisfy: the app refuses to start instead.
                "strtobool(os.getenv('DEBUG', 'False'))", "error: ValueError"));
    var migrate =
        client
            .batch()
            .v1()
            .jobs()
            .withLabel(DjangoAppResources.LABEL_COMPONENT, "migrate")
            .list()
            .getItems()
            .get(0);
    assertThat(
            KubeletEnvironment.resolve(
                client, migrate.getSpec().getTemplate().getSpec().getContainers().get(0)))
        .as("the management Jobs get the same environment")
        .containsAllEntriesOf(off);

    Edits.edit(
        client,
        "polls",
        edited -> {
          edited.getSpec().settings.debug = true;
          return edited;
        });
    var on =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> webEnvironment(client),
                env -> env != null && "True".equals(env.get("DEBUG")));
    assertThat(Python.runJson("debug_idioms.py", on).values()).containsOnly(true);
  }

  @Test
  void theTutorialUsersOwnConfigMapAndSecretWorkAndTheirKeyIsKept(KubernetesClient client) {
    client.resource(tutorialConfigMap()).create();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("polls-secret")
                .endMetadata()
                .addToStringData(
                    Map.of(
                        "DJANGO_SECRET_KEY",
                        USER_KEY,
                        "DATABASE_NAME",
                        "polls",
                        "DATABASE_USERNAME",
                        "sammy",
                        "DATABASE_PASSWORD",
                        "tutorial-password",
                        "DATABASE_HOST",
                        "db.tutorial.internal",
                        "DATABASE_PORT",
                        "25060",
                        "STATIC_ACCESS_KEY_ID",
                        "key-id",
                        "STATIC_SECRET_KEY",
                        "tutorial-spaces-secret"))
                .build())
        .create();
    client
        .resource(
            """
        apiVersion: django.operators.dev/v1alpha1
        kind: DjangoApp
        metadata: {name: polls}
        spec:
          image: docker.io/sammy/sammy-django:1.0.0
          runAsUser: 1000
          envFrom:
          - configMapRef: {name: polls-config}
          - secretRef: {name: polls-secret}
          ingress: {host: polls.example.com}
        """)
        .create();

    var app = Polls.awaitReady(client, "polls");

    var env = webEnvironment(client);
    assertThat(env)
        .containsEntry("DJANGO_SECRET_KEY", USER_KEY)
        .containsEntry("DEBUG", "")
        .containsEntry("DATABASE_HOST", "db.tutorial.internal")
        .containsEntry("DATABASE_PORT", "25060")
        .containsEntry("DATABASE_ENGINE", "postgresql_psycopg2")
        .containsEntry("STATIC_BUCKET_NAME", "tutorial-space");
    assertThat(env.get("DJANGO_ALLOWED_HOSTS").split(","))
        .contains("polls.example.com", "polls." + client.getNamespace() + ".svc")
        .doesNotContain("*");
    assertThat(app.getStatus().environment.secretKey)
        .isEqualTo("Secret polls-secret (spec.envFrom[1])");
    assertThat(app.getStatus().environment.overridden)
        .containsExactlyInAnyOrder(
            "DEBUG from ConfigMap polls-config (spec.envFrom[0])",
            "DJANGO_ALLOWED_HOSTS from ConfigMap polls-config (spec.envFrom[0])",
            "DJANGO_LOGLEVEL from ConfigMap polls-config (spec.envFrom[0])");
    assertThat(client.getKubernetesSerialization().asJson(app.getStatus()))
        .doesNotContain(USER_KEY);
    var theirs = client.configMaps().withName("polls-config").get();
    assertThat(theirs.getData()).isEqualTo(tutorialConfigMap().getData());
    assertThat(theirs.getMetadata().getOwnerReferences()).isEmpty();
    // Ours is controlled by the app (controller: true, as a ReplicaSet is by its Deployment).
    assertThat(
            client.apps().deployments().withName("polls").get().getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(owner -> assertThat(owner.getController()).isTrue());
  }

  @Test
  void anUnusableSuperuserSecretIsReportedBeforeAnyJobRuns(KubernetesClient client) {
    Polls.createSecrets(client);
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("polls-admin")
                .endMetadata()
                .addToStringData(
                    Map.of("username", "admin", "email", "admin-at-example.com", "password", ""))
                .build())
        .create();
    var app = Polls.app(client);
    app.getSpec().superuser = new SuperuserSpec();
    app.getSpec().superuser.credentialsSecret = "polls-admin";
    client.resource(app).create();

    var stalled =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> client.resources(DjangoApp.class).withName("polls").get().getStatus(),
                status ->
                    status != null && Conditions.isTrue(status.conditions, Conditions.STALLED));
    var ready = Conditions.find(stalled.conditions, Conditions.READY).orElseThrow();
    assertThat(ready.getReason()).isEqualTo("ReferenceInvalid");
    assertThat(ready.getMessage())
        .contains(
            "Secret polls-admin (spec.superuser.credentialsSecret) key 'email' is not a"
                + " valid email address")
        .contains("Secret polls-admin (spec.superuser.credentialsSecret) key 'password' is empty")
        .doesNotContain("admin-at-example.com");
    assertThat(client.batch().v1().jobs().list().getItems()).isEmpty();

    client
        .secrets()
        .withName("polls-admin")
        .edit(
            secret ->
                new SecretBuilder(secret)
                    .withData(null)
                    .addToStringData(
                        Map.of(
                            "username",
                            "admin",
                            "email",
                            "admin@example.com",
                            "password",
                            "a-long-password"))
                    .build());
    Polls.awaitReady(client, "polls");
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                !client
                    .batch()
                    .v1()
                    .jobs()
                    .withLabel(DjangoAppResources.LABEL_COMPONENT, "superuser")
                    .list()
                    .getItems()
                    .isEmpty());
  }

  /** The web container's environment, or null while there is no Deployment yet. */
  private static Map<String, String> webEnvironment(KubernetesClient client) {
    var deployment = client.apps().deployments().withName("polls").get();
    if (deployment == null) {
      return null;
    }
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    return new LinkedHashMap<>(KubeletEnvironment.resolve(client, container));
  }

  /** The tutorial's polls-configmap.yaml, as the user applied it. */
  static ConfigMap tutorialConfigMap() {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("polls-config")
        .endMetadata()
        .addToData(
            Map.of(
                "DJANGO_ALLOWED_HOSTS",
                "*",
                "STATIC_ENDPOINT_URL",
                "https://tutorial-space.nyc3.digitaloceanspaces.com",
                "STATIC_BUCKET_NAME",
                "tutorial-space",
                "DJANGO_LOGLEVEL",
                "info",
                "DEBUG",
                "True",
                "DATABASE_ENGINE",
                "postgresql_psycopg2"))
        .build();
  }
}
