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
            "it names kube-system-admin@kubernetescrd of another namespace"),
        Arguments.of(DEFAULT, AnnotationPolicy.TRAEFIK_MIDDLEWARES, "redirect@file", null),
        // every maintained controller's configuration injection (hostile input)
        Arguments.of(DEFAULT, "nginx.com/server-snippets", "x", "nginx.com/*-snippets"),
        Arguments.of(DEFAULT, "angie.software/location-snippets", "x", "angie.software/*-snippets"),
        Arguments.of(
            DEFAULT, "haproxy.org/backend-config-snippet", "x", "haproxy.org/*-config-snippet"),
        Arguments.of(
            DEFAULT, "haproxy.org/frontend-config-snippet", "x", "haproxy.org/*-config-snippet"),
        Arguments.of(
            DEFAULT, "haproxy.com/backend-config-snippet", "x", "haproxy.com/*-config-snippet"),
        Arguments.of(
            DEFAULT,
            "ingress.kubernetes.io/backend-config-snippet",
            "x",
            "ingress.kubernetes.io/*-config-snippet"),
        Arguments.of(
            DEFAULT,
            "haproxy-ingress.github.io/config-backend",
            "x",
            "haproxy-ingress.github.io/config-*"),
        Arguments.of(
            DEFAULT,
            "haproxy-ingress.github.io/config-tcp-service",
            "x",
            "haproxy-ingress.github.io/config-*"),
        Arguments.of(
            DEFAULT, "ingress.kubernetes.io/config-backend", "x", "ingress.kubernetes.io/config-*"),
        Arguments.of(
            DEFAULT,
            "zalando.org/skipper-routes",
            "r: * -> \"http://169.254.169.254\"",
            "zalando.org/skipper-routes"),
        Arguments.of(DEFAULT, "zalando.org/skipper-filter", "lua(\"x\")", "skipper-filter"),
        Arguments.of(DEFAULT, "zalando.org/skipper-predicate", "Method(\"GET\")", null),
        Arguments.of(
            DEFAULT, "getambassador.io/config", "kind: Mapping", "getambassador.io/config"),
        Arguments.of(DEFAULT, "konghq.com/plugins", "pre-function", "konghq.com/plugins"),
        Arguments.of(
            DEFAULT,
            "k8s.apisix.apache.org/plugin-config-name",
            "x",
            "k8s.apisix.apache.org/plugin-config-name"),
        Arguments.of(DEFAULT, "k8s.apisix.apache.org/auth-uri", "http://x", "auth-uri"),
        Arguments.of(DEFAULT, "haproxy-ingress.github.io/auth-url", "http://x", "*/auth-url"),
        Arguments.of(DEFAULT, "ingress.kubernetes.io/auth-url", "http://x", "*/auth-url"),
        Arguments.of(DEFAULT, "haproxy.org/timeout-server", "15m", null),
        Arguments.of(DEFAULT, "projectcontour.io/response-timeout", "30s", null),
        Arguments.of(DEFAULT, "konghq.com/strip-path", "true", null),
        // references to another namespace's objects; the app's own stay allowed
        Arguments.of(
            DEFAULT,
            "traefik.ingress.kubernetes.io/router.tls.options",
            "kube-system-weak@kubernetescrd",
            "it names kube-system-weak@kubernetescrd of another namespace"),
        Arguments.of(
            DEFAULT,
            "traefik.ingress.kubernetes.io/router.tls.options",
            "shop-strict@kubernetescrd",
            null),
        Arguments.of(
            DEFAULT,
            "nginx.ingress.kubernetes.io/auth-tls-secret",
            "ingress/ca",
            "it names ingress/ca of another namespace"),
        Arguments.of(DEFAULT, "nginx.ingress.kubernetes.io/auth-tls-secret", "shop/ca", null),
        Arguments.of(DEFAULT, "nginx.ingress.kubernetes.io/auth-tls-secret", "ca", null),
        Arguments.of(
            DEFAULT,
            "nginx.ingress.kubernetes.io/proxy-ssl-secret",
            "vault/client",
            "vault/client"),
        Arguments.of(
            DEFAULT,
            "nginx.ingress.kubernetes.io/custom-headers",
            "kube-system/headers",
            "kube-system/headers"),
        Arguments.of(DEFAULT, "haproxy.org/auth-secret", "other/users", "other/users"),
        Arguments.of(DEFAULT, "haproxy.org/auth-secret", "users", null),
        Arguments.of(DEFAULT, "haproxy.org/cr-backend", "haproxy/shared", "haproxy/shared"),
        Arguments.of(
            DEFAULT, "haproxy-ingress.github.io/secure-verify-ca-secret", "other/ca", "other/ca"),
        Arguments.of(DEFAULT, "haproxy.org/server-ca", "other/ca", "other/ca"),
        Arguments.of(
            Map.of(AnnotationPolicy.ALLOW_ENV, "haproxy.org/auth-secret"),
            "haproxy.org/auth-secret",
            "other/users",
            null),
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
