package dev.operators.django.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.operators.django.DjangoOperator;
import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.ProcessSpec;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.testing.ControlPlaneBinaries;
import dev.operators.django.testing.Kubectl;
import dev.operators.django.testing.LocalControlPlane;
import dev.operators.django.testing.Polls;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code helm upgrade} from the previous release to the working tree, then {@code helm uninstall},
 * on a control plane of its own: the test replaces the DjangoApp CRD, which every other test
 * shares.
 *
 * <p>The previous release is kept as a fixture, src/test/resources/charts/django-operator-0.1.0:
 * the chart as of commit 159a6b9, the last one before this release's new fields (processes,
 * schedules, autoscaling), with its CRD in crds/, where Helm installs it once and never upgrades
 * it. The operator pods of both releases are kwok's; the operator runs in-process, once before the
 * upgrade (the apps are made Ready) and once after it (the new release's operator starting on
 * existing apps).
 */
class UpgradeIT {
  static final Path PREVIOUS = Path.of("src/test/resources/charts/django-operator-0.1.0");
  static final String RELEASE = "django-operator";
  static final String OPERATOR_NAMESPACE = "django-operator";
  static final String APPS = "apps";

  @Test
  void anUpgradeUpdatesTheCrdKeepsEveryAppAndUninstallLeavesThem() throws Exception {
    var plane =
        LocalControlPlane.start(
            ControlPlaneBinaries.build(), Path.of("target/upgrade-it").toAbsolutePath());
    DjangoOperator operator = null;
    try (var admin = plane.client(APPS)) {
      var kubeconfig = plane.kubeconfigYaml();
      var installed =
          new Helm(PREVIOUS)
              .install()
              .withName(RELEASE)
              .withNamespace(OPERATOR_NAMESPACE)
              .createNamespace()
              .withKubeConfigContents(kubeconfig)
              .call();
      assertThat(installed.getStatus()).isEqualTo("deployed");
      assertThat(specProperties(admin)).doesNotContainKey("processes");

      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(APPS).endMetadata().build())
          .create();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> admin.serviceAccounts().withName("default").get() != null);
      Polls.createSecrets(admin);
      var polls = Polls.app(admin);
      admin.resource(polls).create();
      var second = Polls.app(admin);
      second.getMetadata().setName("blog");
      second.getSpec().ingress.host = "blog.example.com";
      admin.resource(second).create();

      operator = startOperator(plane);
      Polls.awaitReady(admin, "polls");
      Polls.awaitReady(admin, "blog");
      operator.close();
      operator = null;
      var before = children(admin);
      assertThat(before).containsKeys("Secret/polls-secret-key", "Deployment/polls");

      // Adoption of the CRD that the previous release's crds/ installed (README, "Upgrade").
      Kubectl.run(plane, "label", "crd", ChartTest.CRD_NAME, "app.kubernetes.io/managed-by=Helm");
      Kubectl.run(
          plane,
          "annotate",
          "crd",
          ChartTest.CRD_NAME,
          "meta.helm.sh/release-name=" + RELEASE,
          "meta.helm.sh/release-namespace=" + OPERATOR_NAMESPACE);
      var upgraded =
          new Helm(InstallIT.CHART)
              .upgrade()
              .withName(RELEASE)
              .withNamespace(OPERATOR_NAMESPACE)
              .withKubeConfigContents(kubeconfig)
              .call();
      assertThat(upgraded.getStatus()).isEqualTo("deployed");
      assertThat(upgraded.getChart()).isEqualTo("django-operator-0.2.0");
      assertThat(specProperties(admin)).containsKeys("processes", "schedules", "autoscaling");

      // The new release's operator on the existing apps: both Ready, nothing rewritten, no key
      // regenerated (the Secrets' uid and resourceVersion are the same).
      operator = startOperator(plane);
      Polls.awaitReady(admin, "polls");
      Polls.awaitReady(admin, "blog");
      var started = operator;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> reconciled(started, admin, "polls") && reconciled(started, admin, "blog"));
      assertThat(children(admin)).isEqualTo(before);

      // A field of the new release is accepted and kept.
      admin
          .resources(DjangoApp.class)
          .withName("blog")
          .edit(
              app -> {
                var worker = new ProcessSpec();
                worker.name = "worker";
                worker.command = List.of("celery", "-A", "mysite", "worker");
                app.getSpec().processes = List.of(worker);
                return app;
              });
      var blog = admin.resources(DjangoApp.class).withName("blog").get();
      assertThat(blog.getSpec().processes).extracting(p -> p.name).containsExactly("worker");
      await()
          .atMost(Polls.TIMEOUT)
          .until(() -> admin.apps().deployments().withName("blog-worker").get() != null);

      Helm.uninstall(RELEASE)
          .withNamespace(OPERATOR_NAMESPACE)
          .withKubeConfigContents(kubeconfig)
          .call();
      assertThat(admin.apps().deployments().inNamespace(OPERATOR_NAMESPACE).list().getItems())
          .as("the operator is uninstalled")
          .isEmpty();
      assertThat(crd(admin)).as("helm uninstall keeps the CRD").isNotNull();
      assertThat(admin.resources(DjangoApp.class).list().getItems())
          .extracting(a -> a.getMetadata().getName())
          .containsExactlyInAnyOrder("polls", "blog");
      assertThat(children(admin)).containsAllEntriesOf(withoutBlogChanges(before));
    } finally {
      if (operator != null) {
        operator.close();
      }
      plane.close();
    }
  }

  private static DjangoOperator startOperator(LocalControlPlane plane) {
    var client =
        DjangoOperator.clientBuilder()
            .withConfig(DjangoOperator.config(plane.config(APPS)))
            .build();
    return DjangoOperator.start(
        client,
        OperatorSettings.fromEnvironment(Map.of("WATCH_NAMESPACES", APPS, "HEALTH_PORT", "0")));
  }

  /** This operator has written the app's status for its generation (its first reconcile). */
  private static boolean reconciled(DjangoOperator operator, KubernetesClient admin, String name) {
    var app = admin.resources(DjangoApp.class).withName(name).get();
    return operator.healthPort() > 0
        && app.getStatus() != null
        && app.getMetadata().getGeneration().equals(app.getStatus().observedGeneration);
  }

  /** The app's children (and the generated keys) as kind/name -> uid/resourceVersion. */
  private static Map<String, String> children(KubernetesClient admin) {
    var out = new TreeMap<String, String>();
    Stream.<HasMetadata>concat(
            Stream.concat(
                admin.apps().deployments().list().getItems().stream(),
                admin.services().list().getItems().stream()),
            Stream.concat(
                Stream.concat(
                    admin.configMaps().list().getItems().stream(),
                    admin.secrets().list().getItems().stream()),
                admin.network().v1().ingresses().list().getItems().stream()))
        .filter(o -> !o.getMetadata().getOwnerReferences().isEmpty())
        .forEach(
            o ->
                out.put(
                    o.getKind() + "/" + o.getMetadata().getName(),
                    o.getMetadata().getUid() + "/" + o.getMetadata().getResourceVersion()));
    return out;
  }

  private static Map<String, String> withoutBlogChanges(Map<String, String> children) {
    var out = new TreeMap<>(children);
    out.keySet().removeIf(k -> k.contains("/blog"));
    return out;
  }

  private static CustomResourceDefinition crd(KubernetesClient admin) {
    return admin
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(ChartTest.CRD_NAME)
        .get();
  }

  private static Map<String, ?> specProperties(KubernetesClient admin) {
    return crd(admin)
        .getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("spec")
        .getProperties();
  }
}
