package dev.operators.django.tls;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Why cert-manager has not issued an app's certificate yet, read from the ACME objects it creates
 * for the Certificate: CertificateRequest, then Order, then Challenge, each owned by the one
 * before. The Certificate itself only says Issuing while a challenge is stuck, forever; the reason
 * (wrong DNS, nothing serving the token, the CA's detail) lives on the Challenge alone. A pure
 * function of the objects; the operator only ever reads them.
 */
public final class AcmeProgress {
  public static final String CERTIFICATE_NAME_ANNOTATION = "cert-manager.io/certificate-name";

  private AcmeProgress() {}

  /** What stops the latest request of a Certificate. */
  public enum Kind {
    /** A challenge that cert-manager keeps retrying: its self check fails. */
    ChallengePending,
    /** The CA refused the validation: the challenge is invalid, with the CA's detail. */
    ChallengeFailed,
    /** The order failed without a challenge to blame (the CA refused the order itself). */
    OrderFailed
  }

  /**
   * @param issuer the issuer of the request that is blocked
   * @param dnsName the name being validated, when a challenge is to blame
   * @param cause cert-manager's or the CA's own words
   */
  public record Blocker(String issuer, Kind kind, String dnsName, String cause) {}

  /** The blocker of the Certificate's latest CertificateRequest, if anything blocks it. */
  public static Optional<Blocker> blocker(
      String certificateName,
      List<GenericKubernetesResource> requests,
      List<GenericKubernetesResource> orders,
      List<GenericKubernetesResource> challenges) {
    var latest =
        requests.stream()
            .filter(r -> certificateName.equals(annotation(r, CERTIFICATE_NAME_ANNOTATION)))
            .max(
                Comparator.comparing(
                        (GenericKubernetesResource r) -> r.getMetadata().getCreationTimestamp())
                    .thenComparing(r -> r.getMetadata().getName()));
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    var issuer = string(map(latest.get(), "spec", "issuerRef"), "name");
    var requestOrders = orders.stream().filter(o -> ownedBy(o, latest.get())).toList();
    var requestChallenges =
        challenges.stream()
            .filter(c -> requestOrders.stream().anyMatch(o -> ownedBy(c, o)))
            .sorted(Comparator.comparing(c -> c.getMetadata().getName()))
            .toList();
    for (var challenge : requestChallenges) {
      if ("invalid".equals(string(map(challenge, "status"), "state"))) {
        return Optional.of(
            new Blocker(issuer, Kind.ChallengeFailed, dnsName(challenge), reason(challenge)));
      }
    }
    for (var challenge : requestChallenges) {
      var state = string(map(challenge, "status"), "state");
      var reason = reason(challenge);
      // cert-manager writes "Waiting for HTTP-01 challenge propagation: <why>" after each failed
      // self check; other reasons of a pending challenge are steps, not problems.
      // "... retrying challenge sync" is cert-manager tidying its own solver objects (it can
      // create two solver Ingresses in a race and delete both), not something the user can fix.
      if ((state.isEmpty() || "pending".equals(state))
          && reason.startsWith("Waiting for")
          && reason.contains("propagation")
          && !reason.endsWith("retrying challenge sync")) {
        return Optional.of(new Blocker(issuer, Kind.ChallengePending, dnsName(challenge), reason));
      }
    }
    for (var order : requestOrders) {
      var state = string(map(order, "status"), "state");
      var reason = string(map(order, "status"), "reason");
      if (("invalid".equals(state) || "errored".equals(state)) && !reason.isBlank()) {
        return Optional.of(new Blocker(issuer, Kind.OrderFailed, "", reason));
      }
    }
    return Optional.empty();
  }

  private static String dnsName(GenericKubernetesResource challenge) {
    return string(map(challenge, "spec"), "dnsName");
  }

  private static String reason(GenericKubernetesResource challenge) {
    return string(map(challenge, "status"), "reason");
  }

  private static boolean ownedBy(HasMetadata child, HasMetadata owner) {
    var references = child.getMetadata().getOwnerReferences();
    return references != null
        && references.stream()
            .anyMatch(r -> r.getUid() != null && r.getUid().equals(owner.getMetadata().getUid()));
  }

  private static String annotation(HasMetadata resource, String key) {
    var annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(GenericKubernetesResource resource, String... path) {
    Object current = resource.getAdditionalProperties();
    for (var key : path) {
      current = current instanceof Map<?, ?> m ? m.get(key) : null;
    }
    return current instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String string(Map<String, Object> map, String key) {
    var value = map.get(key);
    return value == null ? "" : value.toString();
  }
}
