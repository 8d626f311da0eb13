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
 * ingress controller:
 *
 * <ul>
 *   <li>{@code nginx.ingress.kubernetes.io/*-snippet}: ingress-nginx copies these into nginx.conf
 *       unvalidated (configuration-, server-, stream-, auth-, modsecurity-snippet; its own risk
 *       level "Critical", refused by ingress-nginx itself since v1.9 unless a platform enables
 *       them);
 *   <li>{@code nginx.org/*-snippets}: the same for F5's NGINX Ingress Controller (server-snippets,
 *       location-snippets);
 *   <li>ingress-nginx {@code auth-url}, {@code auth-tls-match-cn}, {@code mirror-target}, {@code
 *       mirror-host}: the values written into nginx.conf in CVE-2025-24514, -1097 and -1098
 *       ("IngressNightmare"; fixed in v1.11.5 and v1.12.1); mirror sends copies of requests
 *       anywhere; a platform that runs a fixed controller and wants external auth allows them;
 *   <li>{@code traefik.ingress.kubernetes.io/router.middlewares} naming a Middleware of another
 *       namespace ({@code <namespace>-<name>@kubernetescrd}): the cross-namespace use that
 *       Traefik's allowCrossNamespace guards. The key itself stays allowed for the app's own
 *       namespace.
 * </ul>
 */
public record AnnotationPolicy(List<String> deny, List<String> allow, boolean denyIsDefault) {
  public static final String DENY_ENV = "INGRESS_ANNOTATIONS_DENY";
  public static final String ALLOW_ENV = "INGRESS_ANNOTATIONS_ALLOW";
  public static final String TRAEFIK_MIDDLEWARES =
      "traefik.ingress.kubernetes.io/router.middlewares";

  public static final List<String> DEFAULT_DENY =
      List.of(
          "nginx.ingress.kubernetes.io/*-snippet",
          "nginx.org/*-snippets",
          "nginx.ingress.kubernetes.io/auth-url",
          "nginx.ingress.kubernetes.io/auth-tls-match-cn",
          "nginx.ingress.kubernetes.io/mirror-target",
          "nginx.ingress.kubernetes.io/mirror-host");

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
                      foreignMiddleware(key, value, namespace)
                          .ifPresent(
                              middleware ->
                                  refused.add(
                                      new Refusal(
                                          key,
                                          "it names Middleware "
                                              + middleware
                                              + " of another"
                                              + " namespace; only "
                                              + namespace
                                              + "-<name>@kubernetescrd is allowed unless "
                                              + ALLOW_ENV
                                              + " allows the key"))));
        });
    return refused;
  }

  /** The first Traefik CRD middleware of another namespace that the value names, if any. */
  static Optional<String> foreignMiddleware(String key, String value, String namespace) {
    if (!TRAEFIK_MIDDLEWARES.equalsIgnoreCase(key) || value == null) {
      return Optional.empty();
    }
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(m -> m.endsWith("@kubernetescrd") && !m.startsWith(namespace + "-"))
        .findFirst();
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
