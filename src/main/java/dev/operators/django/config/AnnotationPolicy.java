package dev.operators.django.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which spec.ingress.annotations the platform team lets app teams put on their Ingresses. A key is
 * refused when it matches a deny pattern and no allow pattern: allow patterns are the exceptions.
 * Patterns are globs over the whole key ({@code *} any run of characters, {@code ?} one), compared
 * without regard to case. A pure function of the settings.
 *
 * <p>The default deny list holds what injects configuration into, or reaches through, a shared
 * ingress controller, for every maintained controller a platform may run (the README lists the
 * sources):
 *
 * <ul>
 *   <li>configuration snippets, copied into the proxy's configuration unvalidated: ingress-nginx
 *       {@code nginx.ingress.kubernetes.io/*-snippet} (its own risk level "Critical"), F5 NGINX
 *       {@code nginx.org/*-snippets} and {@code nginx.com/*-snippets}, its fork Angie {@code
 *       angie.software/*-snippets}, HAProxy Technologies' {@code haproxy.org/*-config-snippet} and
 *       {@code haproxy.com/*-config-snippet} (backend, frontend, global, stats), the community
 *       HAProxy Ingress {@code haproxy-ingress.github.io/config-*} (config-backend, -frontend,
 *       -defaults, -global, -tcp, -proxy, -sections), and both HAProxy controllers' legacy {@code
 *       ingress.kubernetes.io/} prefix for the same keys;
 *   <li>routes and filters in the controller's own language: Skipper's {@code
 *       zalando.org/skipper-routes} (routes to any network backend) and {@code
 *       zalando.org/skipper-filter} (filters include Lua scripts and dynamic backend URLs),
 *       Emissary/Ambassador's {@code getambassador.io/config} (any Mapping, for any host);
 *   <li>plugins run by the shared proxy: Kong's {@code konghq.com/plugins} attaches KongPlugins,
 *       which include serverless plugins running Lua in the proxy, and the platform's
 *       KongClusterPlugins; APISIX's {@code k8s.apisix.apache.org/plugin-config-name} the same for
 *       ApisixPluginConfigs;
 *   <li>external authentication and mirroring to arbitrary URLs: {@code *}{@code /auth-url}
 *       (ingress-nginx, where the value was also written into nginx.conf unescaped: CVE-2025-24514;
 *       HAProxy Ingress; the legacy prefix), APISIX {@code k8s.apisix.apache.org/auth-uri},
 *       ingress-nginx {@code auth-tls-match-cn}, {@code mirror-target} and {@code mirror-host}
 *       (CVE-2025-1097, -1098);
 *   <li>references to another namespace's objects ({@link #foreignReference}): Traefik's {@code
 *       router.middlewares} and {@code router.tls.options} naming {@code
 *       <namespace>-<name>@kubernetescrd}, and the Secret, ConfigMap and custom-resource keys of
 *       ingress-nginx and both HAProxy controllers that accept {@code namespace/name}. The keys
 *       stay allowed for the app's own namespace.
 * </ul>
 *
 * <p>Contour ({@code projectcontour.io/}) and Istio have no Ingress annotation that injects
 * configuration or reaches another namespace (Contour's TLS delegation is a resource the owner of
 * the Secret creates), so nothing of theirs is refused.
 */
public record AnnotationPolicy(List<String> deny, List<String> allow, boolean denyIsDefault) {
  public static final String DENY_ENV = "INGRESS_ANNOTATIONS_DENY";
  public static final String ALLOW_ENV = "INGRESS_ANNOTATIONS_ALLOW";
  public static final String TRAEFIK_MIDDLEWARES =
      "traefik.ingress.kubernetes.io/router.middlewares";

  public static final List<String> DEFAULT_DENY =
      List.of(
          // configuration snippets
          "nginx.ingress.kubernetes.io/*-snippet",
          "nginx.org/*-snippets",
          "nginx.com/*-snippets",
          "angie.software/*-snippets",
          "haproxy.org/*-config-snippet",
          "haproxy.com/*-config-snippet",
          "ingress.kubernetes.io/*-config-snippet",
          "haproxy-ingress.github.io/config-*",
          "ingress.kubernetes.io/config-*",
          // routes, filters and plugins in the controller's own language
          "zalando.org/skipper-routes",
          "zalando.org/skipper-filter",
          "getambassador.io/config",
          "konghq.com/plugins",
          "k8s.apisix.apache.org/plugin-config-name",
          // external authentication and mirroring to arbitrary URLs
          "*/auth-url",
          "k8s.apisix.apache.org/auth-uri",
          "nginx.ingress.kubernetes.io/auth-tls-match-cn",
          "nginx.ingress.kubernetes.io/mirror-target",
          "nginx.ingress.kubernetes.io/mirror-host");

  /** How a key's value names an object that may live in another namespace. */
  enum ReferenceForm {
    /** Traefik's comma-separated {@code <namespace>-<name>@kubernetescrd}. */
    TRAEFIK_CRD,
    /** {@code namespace/name}; a plain {@code name} is the Ingress's own namespace. */
    SLASH
  }

  /** Keys (globs) whose value may name an object of another namespace, and how it does. */
  static final Map<String, ReferenceForm> NAMESPACED_REFERENCES =
      Map.ofEntries(
          Map.entry(TRAEFIK_MIDDLEWARES, ReferenceForm.TRAEFIK_CRD),
          Map.entry("traefik.ingress.kubernetes.io/router.tls.options", ReferenceForm.TRAEFIK_CRD),
          Map.entry("*/auth-secret", ReferenceForm.SLASH),
          Map.entry("*/auth-tls-secret", ReferenceForm.SLASH),
          Map.entry("*/proxy-ssl-secret", ReferenceForm.SLASH),
          Map.entry("*/secure-verify-ca-secret", ReferenceForm.SLASH),
          Map.entry("*/server-ca", ReferenceForm.SLASH),
          Map.entry("*/server-crt", ReferenceForm.SLASH),
          Map.entry("haproxy.org/cr-*", ReferenceForm.SLASH),
          Map.entry("haproxy.com/cr-*", ReferenceForm.SLASH),
          Map.entry("nginx.ingress.kubernetes.io/auth-proxy-set-headers", ReferenceForm.SLASH),
          Map.entry("nginx.ingress.kubernetes.io/custom-headers", ReferenceForm.SLASH));

  public AnnotationPolicy {
    deny = List.copyOf(deny);
    allow = List.copyOf(allow);
  }

  public static AnnotationPolicy defaults() {
    return new AnnotationPolicy(DEFAULT_DENY, List.of(), true);
  }

  /** INGRESS_ANNOTATIONS_DENY replaces the default list when set (empty: deny nothing). */
  public static AnnotationPolicy fromEnvironment(Map<String, String> env) {
    var deny = Optional.ofNullable(env.get(DENY_ENV));
    return new AnnotationPolicy(
        deny.map(AnnotationPolicy::patterns).orElse(DEFAULT_DENY),
        patterns(env.getOrDefault(ALLOW_ENV, "")),
        deny.isEmpty());
  }

  private static List<String> patterns(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** One refused annotation and the rule that refuses it, as the app's status says it. */
  public record Refusal(String key, String because) {}

  /** The app's refused annotations, in the order of the map. */
  public List<Refusal> refused(Map<String, String> annotations, String namespace) {
    var refused = new ArrayList<Refusal>();
    if (annotations == null) {
      return refused;
    }
    annotations.forEach(
        (key, value) -> {
          if (allow.stream().anyMatch(p -> matches(p, key))) {
            return;
          }
          deny.stream()
              .filter(p -> matches(p, key))
              .findFirst()
              .ifPresentOrElse(
                  pattern ->
                      refused.add(
                          new Refusal(
                              key,
                              DENY_ENV
                                  + " pattern "
                                  + pattern
                                  + (denyIsDefault ? " (the default)" : ""))),
                  () ->
                      foreignReference(key, value, namespace)
                          .ifPresent(
                              reference ->
                                  refused.add(
                                      new Refusal(
                                          key,
                                          "it names "
                                              + reference
                                              + " of another namespace; only objects of "
                                              + namespace
                                              + " are allowed unless "
                                              + ALLOW_ENV
                                              + " allows the key"))));
        });
    return refused;
  }

  /** The first object of another namespace that the value of a reference key names, if any. */
  static Optional<String> foreignReference(String key, String value, String namespace) {
    if (value == null) {
      return Optional.empty();
    }
    return NAMESPACED_REFERENCES.entrySet().stream()
        .filter(e -> matches(e.getKey(), key))
        .map(Map.Entry::getValue)
        .findFirst()
        .flatMap(
            form ->
                Arrays.stream(value.split(","))
                    .map(String::trim)
                    .filter(reference -> foreign(form, reference, namespace))
                    .findFirst());
  }

  private static boolean foreign(ReferenceForm form, String reference, String namespace) {
    return switch (form) {
      case TRAEFIK_CRD ->
          reference.endsWith("@kubernetescrd") && !reference.startsWith(namespace + "-");
      case SLASH -> reference.contains("/") && !reference.startsWith(namespace + "/");
    };
  }

  static boolean matches(String glob, String key) {
    return toRegex(glob).matcher(key).matches();
  }

  private static Pattern toRegex(String glob) {
    var regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  /** A sentence for the status: which keys, and what refuses each. */
  public static String message(List<Refusal> refusals) {
    var parts = refusals.stream().map(r -> r.key() + " (" + r.because() + ")").toList();
    return "spec.ingress.annotations "
        + String.join(", ", parts)
        + (refusals.size() == 1 ? " is" : " are")
        + " refused by the platform's annotation policy: they would change how"
        + " the shared ingress controller serves other apps. Remove "
        + (refusals.size() == 1 ? "it" : "them")
        + ", or ask the platform team to allow "
        + (refusals.size() == 1 ? "it" : "them")
        + " ("
        + ALLOW_ENV
        + "). The Ingress is left as"
        + " it was until then";
  }
}
