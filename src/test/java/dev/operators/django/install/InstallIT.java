package dev.operators.django.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.operators.django.testing.Cluster;
import dev.operators.django.testing.Kubectl;
import dev.operators.django.testing.OperatorExtension;
import dev.operators.django.testing.TestNamespace;
import dev.operators.django.testing.WithCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both install paths, deploy/ with kubectl and the Helm chart with helm-java, on the real API. */
@WithCluster
class InstallIT {
  static final Path CHART = Path.of("helm/django-operator");
  static final KubernetesSerialization YAML = new KubernetesSerialization();

  @Test
  void theChartLintsAndRendersLeastPrivilegeRbac() throws Exception {
    var lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();

    var cluster =
        objects(
            new Helm(CHART)
                .template()
                .withKubeVersion(ChartTest.KUBE_VERSION)
                .withName("django-operator")
                .withNamespace("django-operator")
                .call());
    var clusterRole = one(cluster, ClusterRole.class);
    var deployRole =
        one(objects(Files.readString(Path.of("deploy/10-rbac.yaml"))), ClusterRole.class);
    assertThat(clusterRole.getRules())
        .as("the chart's rules drift from deploy/10-rbac.yaml")
        .isEqualTo(deployRole.getRules());
    var deployment = one(cluster, Deployment.class);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = pod.getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getResources().getLimits()).containsKey("memory");

    var namespaced =
        objects(
            new Helm(CHART)
                .template()
                .withKubeVersion(ChartTest.KUBE_VERSION)
                .withName("django-operator")
                .withNamespace("django-operator")
                .set("rbac.scope", "namespaced")
                .set("watchNamespaces[0]", "team-a")
                .set("watchNamespaces[1]", "team-b")
                .set("serviceMonitor.enabled", "true")
                .call());
    // The one cluster-scoped permission a namespaced install needs: reading IngressClasses.
    assertThat(namespaced.stream().filter(ClusterRole.class::isInstance))
        .singleElement()
        .satisfies(
            o -> {
              var role = (ClusterRole) o;
              assertThat(role.getMetadata().getName())
                  .isEqualTo("django-operator-ingressclasses-django-operator");
              assertThat(role.getRules())
                  .singleElement()
                  .satisfies(
                      r -> {
                        assertThat(r.getResources()).containsExactly("ingressclasses");
                        assertThat(r.getVerbs()).containsExactly("get", "list", "watch");
                      });
            });
    assertThat(
            namespaced.stream()
                .filter(Role.class::isInstance)
                .map(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()))
        .containsExactlyInAnyOrder(
            "team-a/django-operator",
            "team-b/django-operator",
            "django-operator/django-operator-leader-election");
    assertThat(namespaced).anyMatch(o -> "ServiceMonitor".equals(o.getKind()));
    assertThat(
            one(namespaced, Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("WATCH_NAMESPACES");
              assertThat(e.getValue()).isEqualTo("team-a,team-b");
            });

    // The annotation policy: the operator's default deny list unless the values replace it.
    assertThat(container.getEnv()).noneMatch(e -> "INGRESS_ANNOTATIONS_DENY".equals(e.getName()));
    var policy =
        one(
                objects(
                    new Helm(CHART)
                        .template()
                        .withKubeVersion(ChartTest.KUBE_VERSION)
                        .withName("django-operator")
                        .set("ingressAnnotations.deny[0]", "*")
                        .set(
                            "ingressAnnotations.allow[0]",
                            "nginx.ingress.kubernetes.io/proxy-body-size")
                        .set(
                            "ingressAnnotations.allow[1]",
                            "nginx.ingress.kubernetes.io/rewrite-target")
                        .call()),
                Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    assertThat(policy)
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("INGRESS_ANNOTATIONS_DENY");
              assertThat(e.getValue()).isEqualTo("*");
            })
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("INGRESS_ANNOTATIONS_ALLOW");
              assertThat(e.getValue())
                  .isEqualTo(
                      "nginx.ingress.kubernetes.io/proxy-body-size,"
                          + "nginx.ingress.kubernetes.io/rewrite-target");
            });

    assertThatThrownBy(
            () ->
                new Helm(CHART)
                    .template()
                    .withKubeVersion(ChartTest.KUBE_VERSION)
                    .set("rbac.scope", "namespaced")
                    .call())
        .hasMessageContaining("watchNamespaces");
    assertThatThrownBy(
            () ->
                new Helm(CHART)
                    .template()
                    .withKubeVersion(ChartTest.KUBE_VERSION)
                    .set("logFormat", "xml")
                    .call())
        .hasMessageContaining("logFormat");
  }

  @Test
  void theChartInstallsIntoTheControlPlane(
      Cluster cluster, KubernetesClient client, TestNamespace ns) {
    var release =
        new Helm(CHART)
            .install()
            .withName("django-operator")
            .withNamespace(ns.name())
            .withKubeConfigContents(cluster.kubeconfigYaml())
            .set("replicaCount", 1)
            // The suite's CRD (OperatorExtension) is not Helm's to take over; UpgradeIT installs
            // it with the chart on a control plane of its own.
            .set("crds.enabled", false)
            .call();
    try {
      assertThat(release.getStatus()).isEqualTo("deployed");
      assertThat(
              client
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName("djangoapps.django.operators.dev")
                  .get())
          .isNotNull();
      assertThat(client.rbac().clusterRoles().withName("django-operator-" + ns.name()).get())
          .isNotNull();
      awaitAvailable(client, ns.name());
    } finally {
      Helm.uninstall("django-operator")
          .withNamespace(ns.name())
          .withKubeConfigContents(cluster.kubeconfigYaml())
          .call();
    }
    assertThat(client.rbac().clusterRoles().withName("django-operator-" + ns.name()).get())
        .isNull();
  }

  @Test
  void deployInstallsWithKubectlAndTheSampleIsValid(
      Cluster cluster, KubernetesClient client, TestNamespace ns) {
    OperatorExtension.installCrd(cluster);
    Kubectl.run(cluster, "apply", "--server-side", "--force-conflicts", "-k", "deploy/");
    awaitAvailable(client, "django-operator");
    assertThat(
            client
                .serviceAccounts()
                .inNamespace("django-operator")
                .withName("django-operator")
                .get())
        .isNotNull();

    var output =
        Kubectl.run(
            cluster,
            "apply",
            "--dry-run=server",
            "-n",
            ns.name(),
            "-f",
            "deploy/samples/polls.yaml",
            "-f",
            "deploy/samples/polls-secrets.yaml");
    assertThat(output).contains("djangoapp.django.operators.dev/polls created (server dry run)");
    var explain = Kubectl.run(cluster, "explain", "djangoapp.spec.database");
    assertThat(explain).contains("credentialsSecret").contains("DATABASE_HOST");

    // Removing the operator leaves the CRD, and so every DjangoApp (deploy/crd/ is apart).
    Kubectl.run(cluster, "delete", "-k", "deploy/");
    assertThat(client.apps().deployments().inNamespace("django-operator").list().getItems())
        .isEmpty();
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("djangoapps.django.operators.dev")
                .get())
        .isNotNull();
  }

  private static void awaitAvailable(KubernetesClient client, String namespace) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              var deployment =
                  client
                      .apps()
                      .deployments()
                      .inNamespace(namespace)
                      .withName("django-operator")
                      .get();
              assertThat(deployment).isNotNull();
              assertThat(deployment.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Available");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
            });
  }

  static List<HasMetadata> objects(String yaml) {
    return Arrays.stream(yaml.split("(?m)^---\\s*$"))
        .filter(doc -> doc.contains("kind:"))
        .map(doc -> (HasMetadata) YAML.unmarshal(doc))
        .toList();
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    var matches = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matches).hasSize(1);
    return matches.get(0);
  }
}
