package dev.operators.django.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IngressClassDecisionTest {
  static final IngressClasses TRAEFIK_DEFAULT =
      new IngressClasses(Set.of("traefik", "haproxy"), List.of("traefik"));
  static final IngressClasses NO_DEFAULT =
      new IngressClasses(Set.of("traefik", "haproxy"), List.of());
  static final IngressClasses NONE = new IngressClasses(Set.of(), List.of());

  /** app class, settings class, assigned class, classes -> reason (null: served), message part. */
  static Stream<Arguments> cases() {
    return Stream.of(
        // named by the app
        Arguments.of("haproxy", null, null, TRAEFIK_DEFAULT, null, null),
        Arguments.of(
            "nginx",
            null,
            null,
            TRAEFIK_DEFAULT,
            "IngressClassNotFound",
            "IngressClass nginx (spec.ingress.className) does not exist: no ingress controller"
                + " serves the app's Ingress. IngressClasses in the cluster: haproxy, traefik"
                + " (default: traefik)."),
        Arguments.of("nginx", "traefik", null, TRAEFIK_DEFAULT, "IngressClassNotFound", "nginx"),
        Arguments.of("nginx", null, null, NONE, "IngressClassNotFound", "install an ingress"),
        // named by the operator's settings
        Arguments.of(null, "traefik", null, NO_DEFAULT, null, null),
        Arguments.of(
            null,
            "nginx",
            null,
            TRAEFIK_DEFAULT,
            "IngressClassNotFound",
            "IngressClass nginx (the operator's DEFAULT_INGRESS_CLASS) does not exist"),
        // named by nobody: the cluster's default, given by the API server at creation
        Arguments.of(null, null, null, TRAEFIK_DEFAULT, null, null),
        Arguments.of(
            null,
            null,
            null,
            NO_DEFAULT,
            "NoDefaultIngressClass",
            "no IngressClass is marked as the cluster's default"
                + " (ingressclass.kubernetes.io/is-default-class)"),
        Arguments.of(null, null, null, NONE, "NoDefaultIngressClass", "has no IngressClass"),
        // the class the Ingress got stays its class, and must still exist
        Arguments.of(null, null, "haproxy", NO_DEFAULT, null, null),
        Arguments.of(
            null,
            null,
            "old",
            TRAEFIK_DEFAULT,
            "IngressClassNotFound",
            "IngressClass old (the cluster's default when the Ingress was created) does not"
                + " exist"),
        // the app's own choice wins over what the Ingress has
        Arguments.of("haproxy", null, "old", TRAEFIK_DEFAULT, null, null));
  }

  @ParameterizedTest(name = "[{index}] app={0} settings={1} assigned={2}")
  @MethodSource("cases")
  void decides(
      String appClass,
      String settingsClass,
      String assigned,
      IngressClasses classes,
      String reason,
      String message) {
    var problem =
        IngressClassDecision.decide(
            appClass, Optional.ofNullable(settingsClass), Optional.ofNullable(assigned), classes);
    if (reason == null) {
      assertThat(problem).isEmpty();
    } else {
      assertThat(problem)
          .get()
          .satisfies(
              p -> {
                assertThat(p.reason()).isEqualTo(reason);
                assertThat(p.message()).contains(message);
              });
    }
  }
}
