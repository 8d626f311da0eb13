package dev.operators.django.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.EnvFromSpec;
import dev.operators.django.api.SecretKeySpec;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.testing.TestApps;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ContainerEnvironmentTest {
  /** The tutorial's own objects, as the operator observes them: key names only. */
  static final ObservedReferences TUTORIAL =
      new ObservedReferences(
          new TreeMap<>(Map.of("ConfigMap/polls-config", "1", "Secret/polls-secret", "2")),
          Map.of(
              "ConfigMap/polls-config",
              Set.of(
                  "DJANGO_ALLOWED_HOSTS",
                  "STATIC_ENDPOINT_URL",
                  "STATIC_BUCKET_NAME",
                  "DJANGO_LOGLEVEL",
                  "DEBUG",
                  "DATABASE_ENGINE"),
              "Secret/polls-secret",
              Set.of(
                  "DJANGO_SECRET_KEY",
                  "DATABASE_NAME",
                  "DATABASE_USERNAME",
                  "DATABASE_PASSWORD",
                  "DATABASE_HOST",
                  "DATABASE_PORT",
                  "STATIC_ACCESS_KEY_ID",
                  "STATIC_SECRET_KEY")),
          List.of());

  static DjangoApp tutorialApp() {
    var app = TestApps.minimal();
    app.getMetadata().setName("polls");
    app.getSpec().envFrom = List.of(configMap("polls-config"), secret("polls-secret"));
    return app;
  }

  @Test
  void theUsersSecretKeyWinsOverTheGeneratedOne() {
    var environment = ContainerEnvironment.of(tutorialApp(), TUTORIAL);

    assertThat(names(environment.env())).doesNotContain("DJANGO_SECRET_KEY");
    assertThat(environment.secretKeySource()).isEqualTo("Secret polls-secret (spec.envFrom[1])");
    assertThat(environment.envFrom())
        .extracting(
            e ->
                e.getConfigMapRef() != null
                    ? e.getConfigMapRef().getName()
                    : e.getSecretRef().getName())
        .containsExactly("polls-config", "polls-secret");
  }

  @Test
  void withoutAKeyOfTheUsersTheGeneratedOneIsUsed() {
    var environment = ContainerEnvironment.of(TestApps.polls(), ObservedReferences.none());

    assertThat(environment.env())
        .filteredOn(e -> e.getName().equals("DJANGO_SECRET_KEY"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getSecretKeyRef().getName())
                    .isEqualTo("polls-secret-key"));
    assertThat(environment.secretKeySource()).isEqualTo("Secret polls-secret-key (generated)");
    assertThat(environment.overridden()).isEmpty();
  }

  @Test
  void specSecretKeyIsUsedAndReportedAsOverridingTheEnvFromOne() {
    var app = tutorialApp();
    app.getSpec().secretKey = new SecretKeySpec();
    app.getSpec().secretKey.secretName = "rotated";
    var environment = ContainerEnvironment.of(app, TUTORIAL);

    assertThat(environment.secretKeySource())
        .isEqualTo("Secret rotated, key DJANGO_SECRET_KEY (spec.secretKey)");
    assertThat(environment.overridden())
        .contains("DJANGO_SECRET_KEY from Secret polls-secret (spec.envFrom[1])");
  }

  @Test
  void theSpecWinsOverTheTutorialsConfigMapAndSaysSo() {
    var environment = ContainerEnvironment.of(tutorialApp(), TUTORIAL);

    // DEBUG=True and DJANGO_ALLOWED_HOSTS=* in polls-config lose to the spec's settings.
    assertThat(environment.overridden())
        .containsExactlyInAnyOrder(
            "DEBUG from ConfigMap polls-config (spec.envFrom[0])",
            "DJANGO_ALLOWED_HOSTS from ConfigMap polls-config (spec.envFrom[0])",
            "DJANGO_LOGLEVEL from ConfigMap polls-config (spec.envFrom[0])");
    // No database or staticFiles in the spec: the tutorial's DATABASE_* and STATIC_* pass.
    assertThat(names(environment.env())).doesNotContain("DATABASE_HOST", "STATIC_BUCKET_NAME");
  }

  @Test
  void aPrefixedSourceProvidesPrefixedNames() {
    var app = tutorialApp();
    app.getSpec().envFrom = List.of(secret("polls-secret"));
    app.getSpec().envFrom.get(0).prefix = "LEGACY_";
    var environment = ContainerEnvironment.of(app, TUTORIAL);

    assertThat(environment.secretKeySource()).isEqualTo("Secret polls-secret-key (generated)");
  }

  private static List<String> names(List<EnvVar> env) {
    return env.stream().map(EnvVar::getName).toList();
  }

  private static EnvFromSpec configMap(String name) {
    var source = new EnvFromSpec();
    source.configMapRef = new EnvFromSpec.NameRef(name);
    return source;
  }

  private static EnvFromSpec secret(String name) {
    var source = new EnvFromSpec();
    source.secretRef = new EnvFromSpec.NameRef(name);
    return source;
  }
}
