package dev.operators.django.reconciler;

import static dev.operators.django.testing.Polls.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.TlsSpec;
import dev.operators.django.api.TlsStatus;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.Edits;
import dev.operators.django.testing.Kubectl;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WatchClosures;
import dev.operators.django.testing.WithCluster;
import dev.operators.django.testing.certmanager.Http01Responder;
import dev.operators.django.testing.certmanager.IssuanceLedger;
import dev.operators.django.testing.certmanager.RealCertManager;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staging first, production once the staging certificate is Ready, against cert-manager's real
 * controllers and two pebble ACME directories (see {@link RealCertManager}): every certificate here
 * comes from a real ACME order with a real HTTP-01 validation. The operator resyncs only every 5
 * minutes, so promotion within seconds proves it is driven by informer events.
 */
@WithCluster
class TlsPromotionIT {
  @AfterAll
  static void pauseCertManager() {
    RealCertManager.pauseShared();
  }

  private static final Logger log = LoggerFactory.getLogger(TlsPromotionIT.class);
  private static final String STAGING = RealCertManager.STAGING;
  private static final String PROD = RealCertManager.PRODUCTION;
  private static final String ISSUER = RealCertManager.ISSUER_ANNOTATION;
  private static final String ISSUER_NAME = RealCertManager.ISSUER_NAME_ANNOTATION;

  /** A real ACME issuance takes ~8 s of self checks, hard-coded in cert-manager; two of them. */
  private static final Duration ACME_TIMEOUT = RealCertManager.ACME_TIMEOUT;

  @RegisterExtension final OperatorExtension operator = new OperatorExtension();

  private static RealCertManager certManager;
  private IssuanceLedger ledger;
  private final List<String> issuerHistory = new CopyOnWriteArrayList<>();
  private final List<Instant> productionSeenAt = new CopyOnWriteArrayList<>();
  private final List<String> reportedReasons = new CopyOnWriteArrayList<>();
  private final List<String> reportedStages = new CopyOnWriteArrayList<>();
  private final Map<String, Instant> reasonFirstReported = new ConcurrentHashMap<>();
  private Watch watch;
  private Watch appWatch;
  private final WatchClosures closures = new WatchClosures();

  /** Before the operator starts (its extension runs before any @BeforeEach). */
  @BeforeAll
  static void startCertManager(Cluster cluster) {
    certManager = RealCertManager.shared(cluster);
  }

  @BeforeEach
  void watchIssuers(KubernetesClient client) {
    ledger = IssuanceLedger.watch(client, PROD);
    watch =
        client
            .network()
            .v1()
            .ingresses()
            .withName("polls")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Ingress ingress) {
                    var issuer = ingress.getMetadata().getAnnotations().get(ISSUER);
                    if (issuer != null
                        && (issuerHistory.isEmpty()
                            || !issuerHistory.get(issuerHistory.size() - 1).equals(issuer))) {
                      issuerHistory.add(issuer);
                      if (issuer.equals(PROD)) {
                        productionSeenAt.add(Instant.now());
                      }
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    closures.record("the Ingress polls", cause);
                  }
                });
    appWatch =
        client
            .resources(DjangoApp.class)
            .withName("polls")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, DjangoApp app) {
                    if (app.getStatus() == null || app.getStatus().tls == null) {
                      return;
                    }
                    Conditions.find(app.getStatus().conditions, Conditions.CERTIFICATE_READY)
                        .ifPresent(
                            c -> {
                              appendIfNew(reportedReasons, c.getReason());
                              reasonFirstReported.putIfAbsent(c.getReason(), Instant.now());
                            });
                    appendIfNew(reportedStages, app.getStatus().tls.stage);
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    closures.record("the app polls", cause);
                  }
                });
  }

  private static void appendIfNew(List<String> history, String value) {
    if (history.isEmpty() || !history.get(history.size() - 1).equals(value)) {
      history.add(value);
    }
  }

  @AfterEach
  void checkNoEarlyProductionOrder() {
    appWatch.close();
    watch.close();
    ledger.close();
    ledger.assertNoProductionOrderBeforeStaging();
    closures.assertNone();
  }

  @Test
  void stagingThenReadyThenProductionThenReady(
      KubernetesClient client, Cluster cluster, TestNamespace ns) {
    long stagingOrders = certManager.staging().orders();
    long productionOrders = certManager.production().orders();
    Polls.createSecrets(client);
    var created = Instant.now();
    client.resource(Polls.app(client)).create();

    // Seen through watches, not polled: pebble reuses a valid authorization 1% of the time even
    // with PEBBLE_AUTHZREUSE=0, and then staging is issued in a fraction of a second.
    await()
        .atMost(TIMEOUT)
        .until(() -> reportedStages.contains("Staging") && issuerHistory.contains(STAGING));
    assertThat(reportedStages.get(0)).isEqualTo("Staging");
    assertThat(issuerHistory.get(0)).isEqualTo(STAGING);

    await().atMost(ACME_TIMEOUT).until(() -> PROD.equals(ingressIssuer(client)));
    var stagingIssued = ledger.firstIssued(STAGING).orElseThrow();
    log.info(
        "promotion delay: staging certificate in the Secret -> Ingress on production in {}" + " ms",
        Duration.between(stagingIssued, productionSeenAt.get(0)).toMillis());

    await()
        .atMost(ACME_TIMEOUT)
        .untilAsserted(
            () -> {
              var tls = tls(client);
              assertThat(tls.stage).isEqualTo("Production");
              assertThat(tls.phase).isEqualTo("Ready");
              assertThat(tls.issuer).isEqualTo(PROD);
              assertThat(tls.certificateName).isEqualTo("polls-tls");
              assertThat(tls.notAfter).isNotBlank();
              var condition = certificateReady(client);
              assertThat(condition.getStatus()).isEqualTo("True");
              assertThat(condition.getReason()).isEqualTo("Issued");
              // A certificate for the host is in the TLS Secret: the URL says https.
              assertThat(client.resources(DjangoApp.class).withName("polls").get().getStatus().url)
                  .isEqualTo("https://polls.example.com/");
            });
    log.info(
        "creation -> production certificate in the Secret: {} ms",
        Duration.between(created, ledger.firstIssued(PROD).orElseThrow()).toMillis());
    assertThat(column(cluster, ns, "TLS")).isEqualTo("Production");
    assertThat(issuerHistory).containsExactly(STAGING, PROD);
    // cert-manager says Ready=False(IncorrectIssuer) through the production order: progress.
    log.info("CertificateReady reasons reported: {}", reportedReasons);
    assertThat(reportedReasons)
        .contains("Promoting")
        .doesNotContain("IssuanceFailed")
        .endsWith("Issued");
    assertThat(reportedStages).containsExactly("Staging", "Production");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(eventReasons(client)).contains("Promoted", "CertificateIssued"));
    var secret = client.secrets().withName("polls-tls").get();
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.getMetadata().getAnnotations()).containsEntry(ISSUER_NAME, PROD);
    // One real ACME order on each directory, in that order.
    assertThat(ledger.orders(STAGING)).isEqualTo(1);
    assertThat(ledger.orders(PROD)).isEqualTo(1);
    assertThat(certManager.staging().orders() - stagingOrders).isEqualTo(1);
    assertThat(certManager.production().orders() - productionOrders).isEqualTo(1);
    assertThat(operator.running().requests().writes())
        .noneMatch(w -> w.contains("/certificates"))
        .noneMatch(w -> w.contains("/secrets/polls-tls"));
    Polls.awaitReady(client, "polls");
  }

  @Test
  void aFailureOnStagingIsReportedAndNothingIsPromoted(KubernetesClient client) {
    long productionOrders = certManager.production().orders();
    var challengeReasonAt = new AtomicReference<Instant>();
    var challenges =
        client
            .genericKubernetesResources("acme.cert-manager.io/v1", "Challenge")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, GenericKubernetesResource challenge) {
                    var status = challenge.getAdditionalProperties().get("status");
                    if (status instanceof Map<?, ?> m
                        && String.valueOf(m.get("reason")).contains("propagation")) {
                      challengeReasonAt.compareAndSet(null, Instant.now());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    closures.record("Challenges", cause);
                  }
                });
    Polls.createSecrets(client);
    var app = Polls.app(client);
    var host = "polls." + Http01Responder.ELSEWHERE;
    app.getSpec().ingress.host = host;
    client.resource(app).create();

    await()
        .atMost(ACME_TIMEOUT)
        .untilAsserted(
            () -> {
              var condition = certificateReady(client);
              assertThat(condition.getStatus()).isEqualTo("False");
              assertThat(condition.getReason()).isEqualTo("ChallengePending");
              // cert-manager's own words, quoted, from the Challenge: the Certificate has none of
              // them.
              assertThat(condition.getMessage())
                  .contains(host)
                  .contains("wrong status code '404', expected '200'");
              assertThat(tls(client).stage).isEqualTo("Staging");
            });
    challenges.close();
    log.info(
        "Challenge pending reason -> DjangoApp reports it: {} ms",
        Duration.between(challengeReasonAt.get(), reasonFirstReported.get("ChallengePending"))
            .toMillis());
    // cert-manager retries the self check every ~10 s; the same cause is not news again.
    // the Event follows the status write that carries the reason
    long announced =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> challengePendingEvents(client), count -> count > 0);
    await()
        .during(Duration.ofSeconds(12))
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                STAGING.equals(ingressIssuer(client))
                    && challengePendingEvents(client) == announced);
    assertThat(issuerHistory).containsExactly(STAGING);
    assertThat(ledger.orders(PROD)).isZero();
    assertThat(certManager.production().orders()).isEqualTo(productionOrders);
    Polls.awaitReady(client, "polls"); // the app itself serves
  }

  @Test
  void aChallengeTheCaRejectsIsReportedWithTheCasDetail(KubernetesClient client) {
    Polls.createSecrets(client);
    var app = Polls.app(client);
    var host = "polls." + Http01Responder.SPLIT_HORIZON;
    app.getSpec().ingress.host = host;
    client.resource(app).create();

    await()
        .atMost(ACME_TIMEOUT)
        .untilAsserted(
            () -> {
              var condition = certificateReady(client);
              assertThat(condition.getReason()).isEqualTo("ChallengeFailed");
              // The CA's detail, which the Certificate's own message loses ("order is in invalid
              // state").
              assertThat(condition.getMessage())
                  .contains(host)
                  .contains("unauthorized")
                  .contains("stays on staging");
              assertThat(tls(client).stage).isEqualTo("Staging");
              assertThat(tls(client).phase).isEqualTo("Failed");
            });
    await().atMost(TIMEOUT).until(() -> eventReasons(client).contains("ChallengeFailed"));
    assertThat(issuerHistory).containsExactly(STAGING);
    assertThat(ledger.orders(PROD)).isZero();
  }

  @Test
  void aFailureOnProductionIsReportedAndTheAppIsNotDemoted(KubernetesClient client) {
    Polls.createSecrets(client);
    var app = Polls.app(client);
    app.getSpec().ingress.host = RealCertManager.PRODUCTION_REFUSES;
    client.resource(app).create();

    await()
        .atMost(ACME_TIMEOUT)
        .untilAsserted(
            () -> {
              var condition = certificateReady(client);
              assertThat(condition.getReason()).isEqualTo("IssuanceFailed");
              assertThat(condition.getMessage()).contains("stays on production");
              assertThat(tls(client).stage).isEqualTo("Production");
              assertThat(tls(client).phase).isEqualTo("Failed");
            });
    var served = client.secrets().withName("polls-tls").get();
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> PROD.equals(ingressIssuer(client)));
    assertThat(issuerHistory).containsExactly(STAGING, PROD);
    // The staging certificate stays in place and keeps serving.
    var secret = client.secrets().withName("polls-tls").get();
    assertThat(secret.getMetadata().getAnnotations()).containsEntry(ISSUER_NAME, STAGING);
    assertThat(secret.getData()).isEqualTo(served.getData());
  }

  @Test
  void aRestartBetweenAnnotationAndStatusConverges(KubernetesClient client) {
    Polls.createSecrets(client);
    var app = Polls.app(client);
    app.getSpec().ingress.tls.promotion = TlsSpec.Promotion.Manual;
    client.resource(app).create();
    await()
        .atMost(ACME_TIMEOUT)
        .until(() -> "AwaitingPromotion".equals(certificateReady(client).getReason()));

    // The operator dies right after it applied the production annotation, before the status.
    operator.stop();
    Edits.edit(
        client,
        "polls",
        a -> {
          a.getSpec().ingress.tls.promotion = TlsSpec.Promotion.Automatic;
          return a;
        });
    var ingress = client.network().v1().ingresses().withName("polls").get();
    ingress.getMetadata().getAnnotations().put(ISSUER, PROD);
    ingress.getMetadata().setManagedFields(null);
    ingress.getMetadata().setResourceVersion(null);
    client.resource(ingress).fieldManager("django-operator").forceConflicts().serverSideApply();
    assertThat(tls(client).stage).isEqualTo("Staging");

    operator.restart();

    await()
        .atMost(ACME_TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(tls(client).stage).isEqualTo("Production");
              assertThat(tls(client).phase).isEqualTo("Ready");
            });
    assertThat(issuerHistory).containsExactly(STAGING, PROD);
  }

  @Test
  void anIngressDeletedAfterPromotionComesBackOnProduction(KubernetesClient client) {
    Polls.createSecrets(client);
    client.resource(Polls.app(client)).create();
    await().atMost(ACME_TIMEOUT).until(() -> "Issued".equals(certificateReady(client).getReason()));

    client.network().v1().ingresses().withName("polls").delete();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var ingress = client.network().v1().ingresses().withName("polls").get();
              assertThat(ingress).isNotNull();
              assertThat(ingress.getMetadata().getAnnotations()).containsEntry(ISSUER, PROD);
              assertThat(certificateReady(client).getReason()).isEqualTo("Issued");
            });
    assertThat(issuerHistory).containsExactly(STAGING, PROD);
  }

  @Test
  void aNewHostStartsAgainOnStaging(KubernetesClient client) {
    Polls.createSecrets(client);
    client.resource(Polls.app(client)).create();
    await().atMost(ACME_TIMEOUT).until(() -> "Issued".equals(certificateReady(client).getReason()));

    Edits.edit(
        client,
        "polls",
        app -> {
          app.getSpec().ingress.host = "www.polls.example.com";
          return app;
        });

    await().atMost(TIMEOUT).until(() -> issuerHistory.size() >= 3);
    assertThat(issuerHistory.get(2)).isEqualTo(STAGING);
    await()
        .atMost(ACME_TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(certificateReady(client).getReason()).isEqualTo("Issued");
              assertThat(
                      client.secrets().withName("polls-tls").get().getMetadata().getAnnotations())
                  .containsEntry("cert-manager.io/alt-names", "www.polls.example.com")
                  .containsEntry(ISSUER_NAME, PROD);
            });
    assertThat(issuerHistory).containsExactly(STAGING, PROD, STAGING, PROD);
    assertThat(ledger.orders(STAGING)).isEqualTo(2);
    assertThat(ledger.orders(PROD)).isEqualTo(2);
    assertThat(
            client
                .network()
                .v1()
                .ingresses()
                .withName("polls")
                .get()
                .getSpec()
                .getTls()
                .get(0)
                .getSecretName())
        .isEqualTo("polls-tls");
  }

  @Test
  void twoAppsPromoteIndependently(KubernetesClient client) {
    Polls.createSecrets(client);
    client.resource(Polls.app(client)).create();
    var blog = Polls.app(client);
    blog.getMetadata().setName("blog");
    blog.getSpec().ingress.host = "blog." + Http01Responder.ELSEWHERE;
    client.resource(blog).create();

    await()
        .atMost(ACME_TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(tls(client, "polls").stage).isEqualTo("Production");
              assertThat(tls(client, "polls").phase).isEqualTo("Ready");
              assertThat(tls(client, "blog").stage).isEqualTo("Staging");
              assertThat(
                      Conditions.find(
                              client
                                  .resources(DjangoApp.class)
                                  .withName("blog")
                                  .get()
                                  .getStatus()
                                  .conditions,
                              Conditions.CERTIFICATE_READY)
                          .orElseThrow()
                          .getReason())
                  .isEqualTo("ChallengePending");
            });
    assertThat(
            client.network().v1().ingresses().withName("blog").get().getMetadata().getAnnotations())
        .containsEntry(ISSUER, STAGING);
  }

  private static TlsStatus tls(KubernetesClient client) {
    return Polls.tls(client, "polls");
  }

  private static TlsStatus tls(KubernetesClient client, String name) {
    return Polls.tls(client, name);
  }

  private static Condition certificateReady(KubernetesClient client) {
    return Polls.condition(client, "polls", Conditions.CERTIFICATE_READY);
  }

  static String ingressIssuer(KubernetesClient client) {
    var ingress = client.network().v1().ingresses().withName("polls").get();
    return ingress == null ? null : ingress.getMetadata().getAnnotations().get(ISSUER);
  }

  static long challengePendingEvents(KubernetesClient client) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> "ChallengePending".equals(e.getReason()))
        .mapToLong(e -> e.getCount() == null ? 1 : e.getCount())
        .sum();
  }

  static List<String> eventReasons(KubernetesClient client) {
    return client.v1().events().list().getItems().stream().map(Event::getReason).toList();
  }

  /** A printer column of the polls row, as kubectl get shows it. */
  static String column(Cluster cluster, TestNamespace ns, String name) {
    var lines = Kubectl.run(cluster, "get", "djangoapps", "-n", ns.name()).lines().toList();
    var header = List.of(lines.get(0).trim().split("\\s{2,}"));
    var row = lines.stream().filter(l -> l.startsWith("polls ")).findFirst().orElseThrow();
    return Map.of("row", List.of(row.trim().split("\\s{2,}"))).get("row").get(header.indexOf(name));
  }
}
