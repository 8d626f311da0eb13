package dev.operators.django.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.status.Conditions;
import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.Kubectl;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.Polls;
import dev.operators.django.testing.ReadmeSection;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WithCluster;
import dev.operators.django.testing.certmanager.IssuanceLedger;
import dev.operators.django.testing.certmanager.RealCertManager;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's "Coming from the tutorial", run as written (its YAML and its commands, parsed from
 * the README, with only the host and the namespace substituted) against the tutorial's own objects
 * on the real API server, with the real cert-manager and pebble. It checks what the README says the
 * app reports after each step, that the host is never refused, that the production certificate in
 * polls-tls is the one served from start to end (never reissued, never staging), that collectstatic
 * runs from the tutorial's STATIC_* keys, and that only what the app uses is left of the tutorial.
 * Pods are kwok's here: requests through a real ingress controller are the real node's part of the
 * journey.
 */
@WithCluster
class TutorialMoveIT {
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  @AfterAll
  static void pauseCertManager() {
    RealCertManager.pauseShared();
  }

  @RegisterExtension final OperatorExtension operator = new OperatorExtension();

  @Test
  void theReadmesStepsMoveTheSiteWithoutRefusalOrANewCertificate(
      KubernetesClient client, Cluster cluster, TestNamespace namespace) throws Exception {
    RealCertManager.shared(cluster);
    var ns = namespace.name();
    var host = "polls-" + ns + ".example.com";
    var section = ReadmeSection.of(Path.of("README.md"), "### Coming from the tutorial");
    var yaml = section.blocks("yaml");
    var steps = section.blocks("sh");
    assertThat(yaml).as("the DjangoApp").hasSize(1);
    assertThat(steps).as("three steps").hasSize(3);

    // The tutorial's site, as its manifests write it (Ingress in networking.k8s.io/v1: the API
    // server no longer serves v1beta1; no ingress-nginx class: the cluster's default serves it).
    var ledger = IssuanceLedger.watch(client, RealCertManager.PRODUCTION);
    tutorial(client, host);
    var production =
        await()
            .atMost(RealCertManager.ACME_TIMEOUT)
            .until(
                () -> client.secrets().withName("polls-tls").get(),
                s ->
                    s != null
                        && RealCertManager.PRODUCTION.equals(
                            s.getMetadata()
                                .getAnnotations()
                                .get(RealCertManager.ISSUER_NAME_ANNOTATION)));
    var serial = leaf(production).getSerialNumber();
    var served = new CopyOnWriteArrayList<String>();
    var secretWatch =
        client
            .secrets()
            .withName("polls-tls")
            .watch(
                new Watcher<Secret>() {
                  @Override
                  public void eventReceived(Action action, Secret secret) {
                    served.add(
                        action
                            + " "
                            + secret
                                .getMetadata()
                                .getAnnotations()
                                .get(RealCertManager.ISSUER_NAME_ANNOTATION)
                            + " "
                            + leaf(secret).getSerialNumber());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    var refusals = new CopyOnWriteArrayList<String>();
    var appWatch =
        client
            .resources(DjangoApp.class)
            .withName("mysite")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, DjangoApp app) {
                    if (app.getStatus() != null) {
                      Conditions.find(app.getStatus().conditions, Conditions.READY)
                          .filter(c -> !"True".equals(c.getStatus()))
                          .filter(
                              c ->
                                  Set.of("HostServedElsewhere", "HostConflict", "NameConflict")
                                      .contains(c.getReason()))
                          .ifPresent(c -> refusals.add(c.getReason() + ": " + c.getMessage()));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    var dir = Files.createTempDirectory("tutorial-move");
    try {
      var manifest = dir.resolve("mysite.yaml");
      Files.writeString(manifest, yaml.get(0).text().replace("polls.example.com", host));

      // Step 1: the app beside the tutorial's objects.
      run(cluster, ns, ReadmeSection.commands(steps.get(0)), manifest);
      var ready = Polls.condition(client, "mysite", Conditions.READY);
      assertThat(ready.getStatus()).isEqualTo("True");
      assertThat(ready.getMessage())
          .isEqualTo(
              "The app is serving at http://"
                  + host
                  + "/. Ingress polls-ingress (spec.ingress.replaces) serves "
                  + host
                  + " too: delete it to complete the move (kubectl delete ingress polls-ingress -n "
                  + ns
                  + ").");
      var beside = client.network().v1().ingresses().withName("mysite").get();
      assertThat(beside.getSpec().getTls().get(0).getSecretName()).isEqualTo("polls-tls");
      assertThat(beside.getMetadata().getAnnotations())
          .doesNotContainKey(RealCertManager.ISSUER_ANNOTATION);
      assertThat(client.network().v1().ingresses().withName("polls-ingress").get()).isNotNull();
      assertThat(
              client
                  .batch()
                  .v1()
                  .jobs()
                  .withLabel(DjangoAppResources.LABEL_INSTANCE, "mysite")
                  .withLabel(DjangoAppResources.LABEL_COMPONENT, DjangoAppResources.STATIC)
                  .list()
                  .getItems())
          .as("collectstatic, from STATIC_BUCKET_NAME in polls-config")
          .isNotEmpty();
      assertThat(Polls.condition(client, "mysite", Conditions.CERTIFICATE_READY).getReason())
          .isEqualTo("Issuing");

      // Step 2: the tutorial's Ingress goes, its Certificate first; the app's takes the Secret
      // over.
      run(cluster, ns, ReadmeSection.commands(steps.get(1)), manifest);
      assertThat(client.network().v1().ingresses().withName("polls-ingress").get()).isNull();
      var alone = client.network().v1().ingresses().withName("mysite").get();
      assertThat(alone.getMetadata().getAnnotations())
          .containsEntry(RealCertManager.ISSUER_ANNOTATION, RealCertManager.PRODUCTION);
      var certificate =
          client
              .genericKubernetesResources("cert-manager.io/v1", "Certificate")
              .withName("polls-tls")
              .get();
      assertThat(certificate.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getName()).isEqualTo("mysite"));
      await()
          .atMost(TIMEOUT)
          .until(
              () -> Polls.condition(client, "mysite", Conditions.READY).getMessage(),
              ("The app is serving at https://" + host + "/.")::equals);
      assertThat(Polls.condition(client, "mysite", Conditions.CERTIFICATE_READY).getStatus())
          .isEqualTo("True");

      // Step 3: what nothing routes to any more.
      run(cluster, ns, ReadmeSection.commands(steps.get(2)), manifest);
      assertThat(client.apps().deployments().withName("polls-app").get()).isNull();
      assertThat(client.services().withName("polls").get()).isNull();
      assertThat(client.configMaps().withName("polls-config").get()).isNotNull();
      assertThat(client.secrets().withName("polls-secret").get()).isNotNull();
      assertThat(Polls.condition(client, "mysite", Conditions.READY).getStatus()).isEqualTo("True");

      var last = client.secrets().withName("polls-tls").get();
      assertThat(leaf(last).getSerialNumber()).as("never reissued").isEqualTo(serial);
      assertThat(served)
          .as("every version of polls-tls during the move")
          .allSatisfy(
              entry -> assertThat(entry).endsWith(RealCertManager.PRODUCTION + " " + serial));
      assertThat(ledger.orders(RealCertManager.STAGING)).as("staging orders").isZero();
      assertThat(ledger.orders(RealCertManager.PRODUCTION))
          .as("production orders: the tutorial's own")
          .isEqualTo(1);
      assertThat(refusals).as("the host and names were never refused").isEmpty();
    } finally {
      secretWatch.close();
      appWatch.close();
      ledger.close();
      Files.deleteIfExists(dir.resolve("mysite.yaml"));
      Files.deleteIfExists(dir);
    }
  }

  /** Runs one README step's kubectl commands in the test's namespace. */
  private static void run(Cluster cluster, String namespace, List<String> commands, Path manifest) {
    for (var command : commands) {
      var words = new ArrayList<>(List.of(command.split("\\s+")));
      assertThat(words.remove(0)).as(command).isEqualTo("kubectl");
      words.replaceAll(w -> w.equals("mysite.yaml") ? manifest.toString() : w);
      words.add("--namespace=" + namespace);
      Kubectl.run(cluster, words.toArray(String[]::new));
    }
  }

  /** The tutorial's objects, with a production certificate issued through its Ingress. */
  private static void tutorial(KubernetesClient client, String host) {
    client.resource(DjangoEnvironmentIT.tutorialConfigMap()).create();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("polls-secret")
                .endMetadata()
                .addToStringData(
                    Map.of(
                        "DJANGO_SECRET_KEY", DjangoEnvironmentIT.USER_KEY,
                        "DATABASE_USERNAME", "polls",
                        "DATABASE_PASSWORD", "tutorial-password",
                        "DATABASE_HOST", "db.tutorial.internal",
                        "DATABASE_PORT", "25060",
                        "DATABASE_NAME", "polls",
                        "STATIC_ACCESS_KEY_ID", "tutorial-spaces-key",
                        "STATIC_SECRET_KEY", "tutorial-spaces-secret"))
                .build())
        .create();
    var labels = Map.of("app", "polls");
    client
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("polls-app")
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("polls")
                .withImage("your_dockerhub_username/app_repo_name:latest")
                .addNewEnvFrom()
                .withNewSecretRef()
                .withName("polls-secret")
                .endSecretRef()
                .endEnvFrom()
                .addNewEnvFrom()
                .withNewConfigMapRef()
                .withName("polls-config")
                .endConfigMapRef()
                .endEnvFrom()
                .addNewPort()
                .withContainerPort(8000)
                .withName("gunicorn")
                .endPort()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("polls")
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(labels)
                .addNewPort()
                .withPort(8000)
                .withNewTargetPort(8000)
                .endPort()
                .endSpec()
                .build())
        .create();
    client
        .resource(
            new IngressBuilder()
                .withNewMetadata()
                .withName("polls-ingress")
                .addToAnnotations(RealCertManager.ISSUER_ANNOTATION, RealCertManager.PRODUCTION)
                .endMetadata()
                .withNewSpec()
                .addNewTl()
                .withHosts(host)
                .withSecretName("polls-tls")
                .endTl()
                .addNewRule()
                .withHost(host)
                .withNewHttp()
                .addNewPath()
                .withPath("/")
                .withPathType("ImplementationSpecific")
                .withNewBackend()
                .withNewService()
                .withName("polls")
                .withNewPort()
                .withNumber(8000)
                .endPort()
                .endService()
                .endBackend()
                .endPath()
                .endHttp()
                .endRule()
                .endSpec()
                .build())
        .create();
  }

  static X509Certificate leaf(Secret secret) {
    try {
      var pem = new String(Base64.getDecoder().decode(secret.getData().get("tls.crt")));
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(pem.getBytes()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
