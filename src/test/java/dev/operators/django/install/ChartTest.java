package dev.operators.django.install;

import static dev.operators.django.install.InstallIT.objects;
import static dev.operators.django.install.InstallIT.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The chart's values rendered by Helm's own template engine (helm-java), without a cluster. */
class ChartTest {
  static final Path CHART = Path.of("helm/django-operator");
  static final String CRD_NAME = "djangoapps.django.operators.dev";

  /**
   * helm-java's template defaults to Kubernetes 1.20, below the chart's kubeVersion; the version
   * the suite's control plane runs.
   */
  static final String KUBE_VERSION = "1.35.4";

  private static String render(UnaryOperator<TemplateCommand> values) {
    return values
        .apply(
            new Helm(CHART)
                .template()
                .withName("django-operator")
                .withNamespace("ops")
                .withKubeVersion(KUBE_VERSION))
        .call();
  }

  @Test
  void theCrdIsATemplateKeptOnUninstallByDefault() throws Exception {
    var crd = one(objects(render(t -> t)), CustomResourceDefinition.class);
    var generated =
        (CustomResourceDefinition)
            InstallIT.YAML.unmarshal(
                Files.readString(Path.of("crd", CRD_NAME + "-v1.yml")),
                CustomResourceDefinition.class);
    assertThat(crd.getMetadata().getName()).isEqualTo(CRD_NAME);
    assertThat(crd.getSpec()).isEqualTo(generated.getSpec());
    assertThat(crd.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
    assertThat(crd.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "Helm")
        .containsEntry("app.kubernetes.io/instance", "django-operator");

    var notKept =
        one(objects(render(t -> t.set("crds.keep", false))), CustomResourceDefinition.class);
    assertThat(notKept.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(notKept.getSpec()).isEqualTo(generated.getSpec());

    assertThat(objects(render(t -> t.set("crds.enabled", false))))
        .noneMatch(CustomResourceDefinition.class::isInstance);
    assertThat(CHART.resolve("crds")).as("Helm never upgrades a CRD in crds/").doesNotExist();
  }

  @Test
  void globalIsAllowedSoThatTheChartCanBeASubchart() {
    assertThat(render(t -> t.set("global.imageRegistry", "registry.example.com")))
        .contains("kind: Deployment");
  }

  @Test
  void extraEnvReachesTheOperatorContainer() {
    var env =
        one(
                objects(
                    render(
                        t ->
                            t.set("extraEnv[0].name", "LOG_LEVEL")
                                .set("extraEnv[0].value", "DEBUG"))),
                Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    assertThat(env)
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("LOG_LEVEL");
              assertThat(e.getValue()).isEqualTo("DEBUG");
            });
    assertThatThrownBy(() -> render(t -> t.set("extraEnv[0].value", "DEBUG")))
        .hasMessageContaining("name");
  }

  @Test
  void twoReplicasNeedLeaderElection() {
    assertThatThrownBy(() -> render(t -> t.set("leaderElection.enabled", false)))
        .hasMessageContaining("replicaCount");
    assertThat(
            one(
                    objects(
                        render(t -> t.set("leaderElection.enabled", false).set("replicaCount", 1))),
                    Deployment.class)
                .getSpec()
                .getReplicas())
        .isEqualTo(1);
    assertThat(one(objects(render(t -> t)), Deployment.class).getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void theChartStatesTheKubernetesVersionsItSupports() {
    assertThat(render(t -> t.withKubeVersion("1.30.0"))).contains("kind: Deployment");
    assertThatThrownBy(() -> render(t -> t.withKubeVersion("1.29.9")))
        .hasMessageContaining("kubeVersion");
  }
}
