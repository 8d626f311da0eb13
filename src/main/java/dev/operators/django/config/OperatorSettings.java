package dev.operators.django.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Operator-level settings, read from the environment with defaults, so that app teams can leave
 * platform choices (ingress class, issuers) out of their DjangoApps.
 *
 * @param watchNamespaces namespaces to watch; empty means all (WATCH_NAMESPACES, comma-separated)
 * @param defaultIngressClass ingressClassName when the app sets none; empty: the cluster default
 * @param defaultIssuerKind ClusterIssuer or Issuer (DEFAULT_ISSUER_KIND)
 * @param defaultStagingIssuer the first issuer (DEFAULT_STAGING_ISSUER)
 * @param defaultProductionIssuer the issuer after promotion (DEFAULT_PRODUCTION_ISSUER)
 * @param healthPort port of /healthz, /readyz and /metrics (HEALTH_PORT)
 * @param missingReferenceRecheck how often a missing Secret is looked for again, at most
 * @param resyncInterval how often every app is reconciled without an event, which is also how soon
 *     a rotated user Secret rolls the pods (RESYNC_INTERVAL_SECONDS)
 * @param leaderElection whether replicas elect a leader through a Lease (LEADER_ELECTION)
 * @param leaseNamespace the Lease's namespace (LEADER_ELECTION_NAMESPACE, else POD_NAMESPACE)
 * @param identity this replica's name in the Lease (POD_NAME, else host name and a random suffix)
 * @param leaseDuration how long a dead leader's Lease blocks the others (LEASE_DURATION_SECONDS)
 * @param annotationPolicy which Ingress annotations apps may set (INGRESS_ANNOTATIONS_DENY,
 *     INGRESS_ANNOTATIONS_ALLOW)
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    Optional<String> defaultIngressClass,
    String defaultIssuerKind,
    String defaultStagingIssuer,
    String defaultProductionIssuer,
    int healthPort,
    Duration missingReferenceRecheck,
    Duration resyncInterval,
    boolean leaderElection,
    String leaseNamespace,
    String identity,
    Duration leaseDuration,
    AnnotationPolicy annotationPolicy) {
  /**
   * The operator's name as a server-side apply field manager, and in its own managed-fields
   * entries.
   */
  public static final String FIELD_MANAGER = "django-operator";

  public static OperatorSettings defaults() {
    return fromEnvironment(Map.of());
  }

  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    return new OperatorSettings(
        Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet()),
        Optional.ofNullable(env.get("DEFAULT_INGRESS_CLASS")).filter(s -> !s.isBlank()),
        env.getOrDefault("DEFAULT_ISSUER_KIND", "ClusterIssuer"),
        env.getOrDefault("DEFAULT_STAGING_ISSUER", "letsencrypt-staging"),
        env.getOrDefault("DEFAULT_PRODUCTION_ISSUER", "letsencrypt-prod"),
        Integer.parseInt(env.getOrDefault("HEALTH_PORT", "8080")),
        Duration.ofSeconds(
            Long.parseLong(env.getOrDefault("MISSING_REFERENCE_RECHECK_SECONDS", "300"))),
        Duration.ofSeconds(Long.parseLong(env.getOrDefault("RESYNC_INTERVAL_SECONDS", "300"))),
        Boolean.parseBoolean(env.getOrDefault("LEADER_ELECTION", "false")),
        env.getOrDefault("LEADER_ELECTION_NAMESPACE", env.getOrDefault("POD_NAMESPACE", "default")),
        env.getOrDefault(
            "POD_NAME", hostName() + "-" + UUID.randomUUID().toString().substring(0, 8)),
        Duration.ofSeconds(Long.parseLong(env.getOrDefault("LEASE_DURATION_SECONDS", "15"))),
        AnnotationPolicy.fromEnvironment(env));
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "django-operator";
    }
  }

  public OperatorSettings {
    if (!defaultIssuerKind.equals("ClusterIssuer") && !defaultIssuerKind.equals("Issuer")) {
      throw new IllegalArgumentException(
          "DEFAULT_ISSUER_KIND must be ClusterIssuer or Issuer, not " + defaultIssuerKind);
    }
  }

  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }
}
