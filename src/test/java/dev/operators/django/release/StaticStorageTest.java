package dev.operators.django.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.EnvFromSpec;
import dev.operators.django.api.ManagementCommandSpec;
import dev.operators.django.api.StaticFilesSpec;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.testing.TestApps;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * When collectstatic gates a rollout: a static-files bucket from the spec or the user's envFrom.
 */
class StaticStorageTest {
  static final Set<String> TUTORIAL_CONFIG =
      Set.of("DJANGO_ALLOWED_HOSTS", "DEBUG", "STATIC_BUCKET_NAME", "STATIC_ENDPOINT_URL");
  static final Set<String> TUTORIAL_SECRET =
      Set.of("DJANGO_SECRET_KEY", "STATIC_ACCESS_KEY_ID", "STATIC_SECRET_KEY");

  static EnvFromSpec configMap(String name, String prefix) {
    var from = new EnvFromSpec();
    from.configMapRef = new EnvFromSpec.NameRef(name);
    from.prefix = prefix;
    return from;
  }

  static EnvFromSpec secret(String name) {
    var from = new EnvFromSpec();
    from.secretRef = new EnvFromSpec.NameRef(name);
    return from;
  }

  /**
   * staticFiles set?, envFrom, observed keys ("Kind/name" to key names), collectStatic.enabled ->
   * where the bucket comes from (null: no bucket), and whether collectstatic gates the rollout.
   */
  static Stream<Arguments> cases() {
    var tutorialKeys =
        Map.of("ConfigMap/polls-config", TUTORIAL_CONFIG, "Secret/polls-secret", TUTORIAL_SECRET);
    var tutorial = List.of(secret("polls-secret"), configMap("polls-config", null));
    return Stream.of(
        Arguments.of(true, List.of(), Map.of(), null, "spec.staticFiles", true),
        Arguments.of(true, List.of(), Map.of(), false, "spec.staticFiles", false),
        Arguments.of(
            false,
            tutorial,
            tutorialKeys,
            null,
            "STATIC_BUCKET_NAME from ConfigMap polls-config (spec.envFrom[1])",
            true),
        Arguments.of(
            false,
            List.of(secret("store")),
            Map.of("Secret/store", Set.of("STATIC_BUCKET_NAME")),
            null,
            "STATIC_BUCKET_NAME from Secret store (spec.envFrom[0])",
            true),
        Arguments.of(false, tutorial, tutorialKeys, false, "polls-config", false),
        // the endpoint or the keys alone name no bucket
        Arguments.of(
            false,
            List.of(secret("polls-secret")),
            Map.of("Secret/polls-secret", TUTORIAL_SECRET),
            null,
            null,
            false),
        // the prefix is part of the variable's name
        Arguments.of(
            false,
            List.of(configMap("legacy", "STATIC_")),
            Map.of("ConfigMap/legacy", Set.of("BUCKET_NAME")),
            null,
            "STATIC_BUCKET_NAME from ConfigMap legacy (spec.envFrom[0])",
            true),
        Arguments.of(
            false,
            List.of(configMap("polls-config", "OLD_")),
            Map.of("ConfigMap/polls-config", TUTORIAL_CONFIG),
            null,
            null,
            false),
        // a source not observed yet (missing) has no keys
        Arguments.of(false, tutorial, Map.of(), null, null, false),
        Arguments.of(false, List.of(), Map.of(), null, null, false));
  }

  @ParameterizedTest(name = "[{index}] staticFiles={0} envFrom keys={2} enabled={3}")
  @MethodSource("cases")
  void collectstaticRunsWhenTheAppHasABucket(
      boolean staticFiles,
      List<EnvFromSpec> envFrom,
      Map<String, Set<String>> keys,
      Boolean enabled,
      String source,
      boolean collects) {
    var app = TestApps.minimal();
    app.getSpec().staticFiles = null;
    if (staticFiles) {
      app.getSpec().staticFiles = new StaticFilesSpec();
      app.getSpec().staticFiles.bucket = "polls";
    }
    app.getSpec().envFrom = envFrom;
    if (enabled != null) {
      app.getSpec().collectStatic = new ManagementCommandSpec();
      app.getSpec().collectStatic.enabled = enabled;
    }
    var refs = new ObservedReferences(new TreeMap<>(), keys, List.of());

    var found = StaticStorage.source(app, refs);
    if (source == null) {
      assertThat(found).isEmpty();
    } else {
      assertThat(found).get().asString().contains(source);
    }
    assertThat(ReleaseJobs.steps(app, refs).contains(ReleaseGate.Step.COLLECTSTATIC))
        .isEqualTo(collects);
  }
}
