package dev.operators.django.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnnotationPolicyTest {
  static final Map<String, String> DEFAULT = Map.of();
  static final Map<String, String> ALLOW_AUTH =
      Map.of(
          AnnotationPolicy.ALLOW_ENV,
          "nginx.ingress.kubernetes.io/auth-url, nginx.ingress.kubernetes.io/auth-signin");
  static final Map<String, String> ALLOW_LIST =
      Map.of(
          AnnotationPolicy.DENY_ENV,
          "*",
          AnnotationPolicy.ALLOW_ENV,
          "nginx.ingress.kubernetes.io/proxy-body-size");
  static final Map<String, String> DENY_NOTHING = Map.of(AnnotationPolicy.DENY_ENV, "");

  /** settings, annotation key, value -> the reason it is refused, or null when allowed. */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            DEFAULT,
            "nginx.ingress.kubernetes.io/server-snippet",
            "return 200;",
            "INGRESS_ANNOTATIONS_DENY pattern nginx.ingress.kubernetes.io/*-snippet (the"
                + " default)"),
        Arguments.of(
            DEFAULT, "nginx.ingress.kubernetes.io/configuration-snippet", "x", "*-snippet"),
        Arguments.of(DEFAULT, "nginx.ingress.kubernetes.io/stream-snippet", "x", "*-snippet"),
        Arguments.of(DEFAULT, "nginx.ingress.kubernetes.io/auth-snippet", "x", "*-snippet"),
        Arguments.of(DEFAULT, "nginx.ingress.kubernetes.io/modsecurity-snippet", "x", "*-snippet"),
        Arguments.of(DEFAULT, "NGINX.ingress.kubernetes.io/Server-Snippet", "x", "*-snippet"),
        Arguments.of(DEFAULT, "nginx.org/server-snippets", "x", "nginx.org/*-snippets"),
        Arguments.of(DEFAULT, "nginx.org/location-snippets", "x", "nginx.org/*-snippets"),
        Arguments.of(DEFAULT, "nginx.ingress.kubernetes.io/auth-url", "http://auth", "auth-url"),
        Arguments.of(
            DEFAULT, "nginx.ingress.kubernetes.io/mirror-target", "http://x", "mirror-target"),
        Arguments.of(DEFAULT, "nginx.ingress.kubernetes.io/mirror-host", "x", "mirror-host"),
        Arguments.of(
            DEFAULT, "nginx.ingress.kubernetes.io/auth-tls-match-cn", "CN=x", "auth-tls-match-cn"),
        Arguments.of(DEFAULT, "nginx.ingress.kubernetes.io/proxy-body-size", "10m", null),
        Arguments.of(DEFAULT, "nginx.ingress.kubernetes.io/snippet-free", "x", null),
        Arguments.of(
            DEFAULT, AnnotationPolicy.TRAEFIK_MIDDLEWARES, "shop-strip@kubernetescrd", null),
        Arguments.of(
            DEFAULT,
            AnnotationPolicy.TRAEFIK_MIDDLEWARES,
            "shop-strip@kubernetescrd, kube-system-admin@kubernetescrd",
            "Middleware kube-system-admin@kubernetescrd of another namespace"),
        Arguments.of(DEFAULT, AnnotationPolicy.TRAEFIK_MIDDLEWARES, "redirect@file", null),
        Arguments.of(ALLOW_AUTH, "nginx.ingress.kubernetes.io/auth-url", "http://auth", null),
        Arguments.of(ALLOW_AUTH, "nginx.ingress.kubernetes.io/server-snippet", "x", "*-snippet"),
        Arguments.of(ALLOW_LIST, "nginx.ingress.kubernetes.io/proxy-body-size", "10m", null),
        Arguments.of(
            ALLOW_LIST,
            "nginx.ingress.kubernetes.io/rewrite-target",
            "/",
            "INGRESS_ANNOTATIONS_DENY pattern *"),
        Arguments.of(ALLOW_LIST, "nginx.ingress.kubernetes.io/rewrite-target", "/", "pattern *"),
        Arguments.of(DENY_NOTHING, "nginx.ingress.kubernetes.io/server-snippet", "x", null),
        Arguments.of(
            Map.of(AnnotationPolicy.ALLOW_ENV, AnnotationPolicy.TRAEFIK_MIDDLEWARES),
            AnnotationPolicy.TRAEFIK_MIDDLEWARES,
            "kube-system-admin@kubernetescrd",
            null));
  }

  @ParameterizedTest(name = "{1}={2} with {0}")
  @MethodSource("cases")
  void refusesByPattern(Map<String, String> env, String key, String value, String because) {
    var refused = AnnotationPolicy.fromEnvironment(env).refused(Map.of(key, value), "shop");
    if (because == null) {
      assertThat(refused).isEmpty();
    } else {
      assertThat(refused)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.key()).isEqualTo(key);
                assertThat(r.because()).contains(because);
              });
    }
  }

  @Test
  void theMessageNamesEveryKeyAndTheSetting() {
    var refused =
        AnnotationPolicy.defaults()
            .refused(
                new LinkedHashMap<>(Map.of("nginx.ingress.kubernetes.io/server-snippet", "x")),
                "shop");
    assertThat(AnnotationPolicy.message(refused))
        .isEqualTo(
            "spec.ingress.annotations"
                + " nginx.ingress.kubernetes.io/server-snippet (INGRESS_ANNOTATIONS_DENY pattern"
                + " nginx.ingress.kubernetes.io/*-snippet (the default)) is refused by the platform's"
                + " annotation policy: they would change how the shared ingress controller serves other"
                + " apps. Remove it, or ask the platform team to allow it (INGRESS_ANNOTATIONS_ALLOW)."
                + " The Ingress is left as it was until then");
    assertThat(AnnotationPolicy.fromEnvironment(Map.of()).deny())
        .isEqualTo(AnnotationPolicy.DEFAULT_DENY);
    assertThat(List.of()).isEmpty();
  }
}
