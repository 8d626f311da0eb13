package dev.operators.django.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.Edits;
import dev.operators.django.testing.HostServices;
import dev.operators.django.testing.Http;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.RealNodeApps;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WatchClosures;
import dev.operators.django.testing.WithRealNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End to end on a real node: real pods of a real Django app (src/test/real-node/app), migrations
 * against a real PostgreSQL, static files in a real S3-compatible store, real HTTP probes, and
 * requests through the Service as an ingress controller sends them.
 */
@WithRealNode
class RealNodeIT {
  private static final Logger log = LoggerFactory.getLogger(RealNodeIT.class);
  static final Duration TIMEOUT = Duration.ofMinutes(4);
  static final String HOST = RealNodeApps.HOST;
  static final String ADMIN_PASSWORD = RealNodeApps.ADMIN_PASSWORD;

  @RegisterExtension final OperatorExtension operator = new OperatorExtension();

  @Test
  void theTutorialDoneByTheOperator(
      KubernetesClient client, TestNamespace ns, HostServices services) {
    var applied = Instant.now();
    var db = deploy(client, ns, services, true);

    var firstOk =
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(200))
            .ignoreExceptions()
            .until(() -> get(client, "/polls/"), r -> r.status() == 200);
    var toFirst200 = Duration.between(applied, Instant.now());
    assertThat(firstOk.body()).contains("polls v1: 0 questions");
    var migrate = job(client, "migrate");
    log.info(
        "apply to first HTTP 200 on the real node: {} ms (migrate Job {} ms)",
        toFirst200.toMillis(),
        Duration.between(
                Instant.parse(migrate.getStatus().getStartTime()),
                Instant.parse(migrate.getStatus().getCompletionTime()))
            .toMillis());

    // migrate really migrated, collectstatic really uploaded, createsuperuser really created.
    assertThat(
            services.sql(db, "select count(*) from django_migrations where app = 'polls'").trim())
        .isEqualTo("1");
    assertThat(services.objects(db))
        .contains("static/polls/style.css", "static/admin/css/base.css");
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                services
                    .sql(db, "select username from auth_user where is_superuser")
                    .trim()
                    .equals("admin"));
    awaitReady(client);

    var notFound = get(client, "/no-such-page/");
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.body()).doesNotContain("DEBUG = True").doesNotContain("urlpatterns");
    assertThat(get(client, "/healthz").status()).isEqualTo(200);
    assertThat(adminLogin(client, "admin", ADMIN_PASSWORD)).as("admin login").isTrue();
    assertThat(adminLogin(client, "admin", "wrong")).isFalse();
  }

  @Test
  void aMigrationGatesTheRolloutWithNoFailedRequest(
      KubernetesClient client, TestNamespace ns, HostServices services) throws Exception {
    var db = deploy(client, ns, services, false);
    awaitReady(client);

    // kube-proxy programs the Service about a second after the pods are Ready: the rollout is
    // measured from a Service that serves.
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> get(client, "/polls/").status() == 200);
    var v2ReadyAt = new ConcurrentHashMap<String, Instant>();
    var closures = new WatchClosures();
    var recorder = new ReadyRecorder(v2ReadyAt);
    try (var pods = client.pods().watch(closures.watcher("pods", recorder::record))) {
      var stop = new AtomicBoolean();
      var sent = new AtomicInteger();
      var failed = new AtomicInteger();
      var poller =
          new Thread(
              () -> {
                while (!stop.get()) {
                  sent.incrementAndGet();
                  try {
                    var response = get(client, "/polls/");
                    if (response.status() != 200 && failed.incrementAndGet() <= 3) {
                      log.info(
                          "failed request: {} {}",
                          response.status(),
                          response.body().lines().limit(3).toList());
                    }
                  } catch (RuntimeException e) {
                    if (failed.incrementAndGet() <= 3) {
                      log.info("failed request: {}", e.getCause() != null ? e.getCause() : e);
                    }
                  }
                }
              },
              "service-poller");
      poller.start();
      Edits.edit(
          client,
          "polls",
          app -> {
            app.getSpec().image = "registry.test/djangotest:v2";
            return app;
          });
      // Only to wait; the poller counts every request that failed.
      await()
          .atMost(TIMEOUT)
          .ignoreExceptions()
          .until(() -> get(client, "/polls/").body().contains("polls v2"));
      awaitReady(client);
      stop.set(true);
      poller.join();

      var migrated =
          Instant.parse(
              job(client, "migrate", "registry.test/djangotest:v2")
                  .getStatus()
                  .getCompletionTime());
      log.info(
          "rollout to v2: {} requests, {} failed; migrate v2 completed {}, v2 pods Ready {}",
          sent.get(),
          failed.get(),
          migrated,
          v2ReadyAt);
      closures.assertNone();
      assertThat(v2ReadyAt).isNotEmpty();
      // Job times have a resolution of a second; a pod Ready before the Job's completion second
      // would have served code whose migration had not run.
      assertThat(v2ReadyAt.values())
          .allSatisfy(readyAt -> assertThat(readyAt).isAfterOrEqualTo(migrated));
      assertThat(failed.get()).as("failed of %d requests", sent.get()).isZero();
    }
  }

  @Test
  void aRotatedDatabasePasswordRollsThePodsAndTheAppKeepsServing(
      KubernetesClient client, TestNamespace ns, HostServices services) {
    var db = deploy(client, ns, services, false);
    awaitReady(client);
    var before = podTemplateHash(client);

    services.sql("postgres", "alter role \"" + db + "\" password 'second-password'");
    client
        .secrets()
        .withName("polls-db")
        .edit(
            secret ->
                new SecretBuilder(secret)
                    .withData(null)
                    .addToStringData(Map.of("username", db, "password", "second-password"))
                    .build());

    await().atMost(TIMEOUT).until(() -> !podTemplateHash(client).equals(before));
    awaitReady(client);
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> get(client, "/polls/").status() == 200);
    for (int i = 0; i < 10; i++) {
      assertThat(get(client, "/polls/").status()).isEqualTo(200);
    }
  }

  @Test
  void debugAsDjangoSeesIt(KubernetesClient client) {
    client
        .resource(
            """
        apiVersion: django.operators.dev/v1alpha1
        kind: DjangoApp
        metadata: {name: polls}
        spec:
          image: registry.test/djangotest:v1
          replicas: 1
          probes: {httpPath: /healthz}
          settings: {debug: true}
          database: {engine: sqlite3, name: /tmp/db.sqlite3}
          ingress: {host: polls.example.test}
          resources: {requests: {cpu: 50m, memory: 128Mi}, limits: {memory: 384Mi}}
        """)
        .create();
    await()
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> get(client, "/no-such-page/").body().contains("DEBUG = True"));

    Edits.edit(
        client,
        "polls",
        app -> {
          app.getSpec().settings.debug = false;
          return app;
        });
    await()
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              var response = get(client, "/no-such-page/");
              return response.status() == 404 && !response.body().contains("DEBUG = True");
            });
  }

  /** What an ingress controller sends for the app's host: through the Service's ClusterIP. */
  static Http.Response get(KubernetesClient client, String path) {
    var ip = client.services().withName("polls").get().getSpec().getClusterIP();
    return Http.get(ip, 8000, HOST, path);
  }

  /** Logs in to the admin as a browser does: CSRF cookie and token, then the form. */
  static boolean adminLogin(KubernetesClient client, String user, String password) {
    var ip = client.services().withName("polls").get().getSpec().getClusterIP();
    var form = Http.get(ip, 8000, HOST, "/admin/login/");
    var cookie = form.headers().get("set-cookie").replaceAll(".*(csrftoken=[^;]+).*", "$1");
    var matcher =
        Pattern.compile("name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"").matcher(form.body());
    assertThat(matcher.find()).as("the login form's CSRF token").isTrue();
    var body =
        "csrfmiddlewaretoken="
            + matcher.group(1)
            + "&username="
            + encode(user)
            + "&password="
            + encode(password)
            + "&next=/admin/";
    var response =
        Http.request(
            ip,
            8000,
            "POST",
            HOST,
            "/admin/login/?next=/admin/",
            Map.of("Cookie", cookie, "Referer", "http://" + HOST + "/admin/login/"),
            body);
    return response.status() == 302 && "/admin/".equals(response.headers().get("location"));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The v1 app with a database and a bucket of the test's own; returns their name. */
  static String deploy(
      KubernetesClient client, TestNamespace ns, HostServices services, boolean superuser) {
    var db = ns.name().replace('-', '_');
    services.createDatabase(db, db, "first-password");
    services.createBucket(db);
    RealNodeApps.createSecrets(client, db, "first-password");
    client.resource(RealNodeApps.polls(db, "registry.test/djangotest:v1", superuser)).create();
    return db;
  }

  static void awaitReady(KubernetesClient client) {
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              var app = client.resources(DjangoApp.class).withName("polls").get();
              return app.getStatus() != null
                  && Conditions.isTrue(app.getStatus().conditions, Conditions.READY)
                  && app.getMetadata().getGeneration().equals(app.getStatus().observedGeneration);
            });
  }

  static Job job(KubernetesClient client, String step) {
    return job(client, step, null);
  }

  /** The step's completed Job, for an image or for the only one. */
  static Job job(KubernetesClient client, String step, String image) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client
                    .batch()
                    .v1()
                    .jobs()
                    .withLabel("app.kubernetes.io/component", step)
                    .list()
                    .getItems()
                    .stream()
                    .filter(
                        j ->
                            image == null
                                || image.equals(
                                    j.getSpec()
                                        .getTemplate()
                                        .getSpec()
                                        .getContainers()
                                        .get(0)
                                        .getImage()))
                    .filter(j -> j.getStatus() != null && j.getStatus().getCompletionTime() != null)
                    .findFirst()
                    .orElse(null),
            j -> j != null);
  }

  static String podTemplateHash(KubernetesClient client) {
    return client
        .apps()
        .deployments()
        .withName("polls")
        .get()
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get("django.operators.dev/config-hash");
  }

  /** When each pod of the v2 image first became Ready. */
  record ReadyRecorder(Map<String, Instant> readyAt) {
    void record(Watcher.Action action, Pod pod) {
      var image = pod.getSpec().getContainers().get(0).getImage();
      var ready =
          pod.getStatus() != null
              && pod.getStatus().getConditions() != null
              && pod.getStatus().getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (ready
          && image.endsWith(":v2")
          && pod.getMetadata().getLabels() != null
          && "web".equals(pod.getMetadata().getLabels().get("app.kubernetes.io/component"))) {
        readyAt.putIfAbsent(pod.getMetadata().getName(), Instant.now());
      }
    }
  }
}
