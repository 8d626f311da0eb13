package dev.operators.django.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.EnvFromSpec;
import dev.operators.django.api.ProbesSpec;
import dev.operators.django.api.SecretKeySpec;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.testing.TestApps;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DeploymentDependentTest {

  @Test
  void runsGunicornOnPort8000WithTheAppsEnvironment() {
    var deployment = build(TestApps.polls());
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "app.kubernetes.io/name",
                "django",
                "app.kubernetes.io/instance",
                "polls",
                "app.kubernetes.io/component",
                "web"));
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getPorts().get(0).getName()).isEqualTo("gunicorn");
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(8000);
    // Every variable comes by reference: settings from the app's ConfigMap, credentials from
    // Secrets; envFrom is left to the user's own sources, which env overrides.
    assertThat(container.getEnvFrom()).isEmpty();
    assertThat(container.getEnv()).allSatisfy(e -> assertThat(e.getValue()).isNull());
    assertThat(container.getEnv())
        .filteredOn(e -> e.getValueFrom().getConfigMapKeyRef() != null)
        .extracting(e -> e.getValueFrom().getConfigMapKeyRef().getName())
        .containsOnly("polls-settings");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("gunicorn");
    assertThat(container.getResources().getLimits()).containsKey("memory");
  }

  @Test
  void unsetReplicasAreLeftToTheAutoscaler() {
    var app = TestApps.polls();
    app.getSpec().replicas = null;
    assertThat(build(app).getSpec().getReplicas()).isNull();
  }

  @Test
  void podsRunUnderTheRestrictedPodSecurityStandard() {
    var pod = build(TestApps.polls()).getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = pod.getContainers().get(0).getSecurityContext();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void probesAreTcpWithoutAPath() {
    var app = TestApps.polls();
    app.getSpec().probes = null;
    var container = build(app).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getReadinessProbe().getTcpSocket().getPort().getStrVal())
        .isEqualTo("gunicorn");
    assertThat(container.getLivenessProbe().getTcpSocket()).isNotNull();
  }

  @Test
  void httpProbesSendTheIngressHost() {
    var app = TestApps.polls();
    app.getSpec().probes = new ProbesSpec();
    app.getSpec().probes.httpPath = "/admin/login/";
    var probe =
        build(app)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getLivenessProbe()
            .getHttpGet();
    assertThat(probe.getPath()).isEqualTo("/admin/login/");
    assertThat(probe.getHttpHeaders())
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.getName()).isEqualTo("Host");
              assertThat(h.getValue()).isEqualTo("polls.example.com");
            });
  }

  @Test
  void userSecretKeyAndEnvFromAreReferenced() {
    var app = TestApps.polls();
    app.getSpec().secretKey = new SecretKeySpec();
    app.getSpec().secretKey.secretName = "polls-secret";
    var source = new EnvFromSpec();
    source.secretRef = new EnvFromSpec.NameRef("polls-secret");
    app.getSpec().envFrom = List.of(source);
    var container = build(app).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnv())
        .filteredOn(e -> e.getName().equals("DJANGO_SECRET_KEY"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("polls-secret");
              assertThat(e.getValueFrom().getSecretKeyRef().getKey())
                  .isEqualTo("DJANGO_SECRET_KEY");
            });
    assertThat(container.getEnvFrom())
        .extracting(e -> e.getSecretRef().getName())
        .containsExactly("polls-secret");
  }

  @Test
  void configHashChangesWithSettingsReferencesAndKeySecretOnly() {
    var app = TestApps.polls();
    var base = hash(app, Map.of("Secret/polls-db", "10"), "uid-a");
    assertThat(hash(app, Map.of("Secret/polls-db", "10"), "uid-a")).isEqualTo(base);
    assertThat(hash(app, Map.of("Secret/polls-db", "11"), "uid-a")).isNotEqualTo(base);
    assertThat(hash(app, Map.of("Secret/polls-db", "10"), "uid-b")).isNotEqualTo(base);
    var changed = TestApps.copy(app);
    changed.getSpec().settings.debug = true;
    assertThat(hash(changed, Map.of("Secret/polls-db", "10"), "uid-a")).isNotEqualTo(base);
    var rescaled = TestApps.copy(app);
    rescaled.getSpec().replicas = 5;
    assertThat(hash(rescaled, Map.of("Secret/polls-db", "10"), "uid-a")).isEqualTo(base);
  }

  private static String hash(DjangoApp app, Map<String, String> versions, String uid) {
    var inputs =
        TestApps.inputs(
            app,
            OperatorSettings.defaults(),
            new ObservedReferences(new TreeMap<>(versions), List.of()));
    return DeploymentDependent.build(app, inputs, Optional.of(uid))
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(DjangoAppResources.CONFIG_HASH_ANNOTATION);
  }

  private static Deployment build(DjangoApp app) {
    return DeploymentDependent.build(app, TestApps.inputs(app), Optional.of("uid"));
  }
}
