package dev.operators.django.tls;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator reads from cert-manager's objects: the Certificate that ingress-shim creates
 * from the Ingress, and the TLS Secret that cert-manager issues into. Read from informer caches.
 */
public final class CertificateFacts {
  public static final String ISSUER_NAME_ANNOTATION = "cert-manager.io/issuer-name";
  public static final String ALT_NAMES_ANNOTATION = "cert-manager.io/alt-names";

  private CertificateFacts() {}

  /** A condition of the Certificate, or absent. */
  public record Cond(String status, String reason, String message) {
    public boolean isTrue() {
      return "True".equals(status);
    }
  }

  /** The Certificate: issuerRef name, dnsNames, Ready and Issuing conditions, expiry. */
  public record Certificate(
      String issuerName,
      List<String> dnsNames,
      Optional<Cond> ready,
      Optional<Cond> issuing,
      Optional<String> notAfter) {}

  /** The issued TLS Secret: who issued it, for which names. */
  public record IssuedSecret(String issuerName, List<String> altNames) {}

  @SuppressWarnings("unchecked")
  public static Certificate certificate(GenericKubernetesResource resource) {
    var spec =
        (Map<String, Object>) resource.getAdditionalProperties().getOrDefault("spec", Map.of());
    var status =
        (Map<String, Object>) resource.getAdditionalProperties().getOrDefault("status", Map.of());
    var issuerRef = (Map<String, Object>) spec.getOrDefault("issuerRef", Map.of());
    var conditions = (List<Map<String, Object>>) status.getOrDefault("conditions", List.of());
    return new Certificate(
        (String) issuerRef.get("name"),
        (List<String>) spec.getOrDefault("dnsNames", List.of()),
        condition(conditions, "Ready"),
        condition(conditions, "Issuing"),
        Optional.ofNullable((String) status.get("notAfter")));
  }

  public static Optional<IssuedSecret> issuedSecret(Secret secret) {
    var annotations = secret.getMetadata().getAnnotations();
    if (annotations == null || !annotations.containsKey(ISSUER_NAME_ANNOTATION)) {
      return Optional.empty();
    }
    var altNames = annotations.getOrDefault(ALT_NAMES_ANNOTATION, "");
    return Optional.of(
        new IssuedSecret(
            annotations.get(ISSUER_NAME_ANNOTATION),
            altNames.isBlank()
                ? List.of()
                : Arrays.stream(altNames.split(",")).map(String::trim).toList()));
  }

  private static Optional<Cond> condition(List<Map<String, Object>> conditions, String type) {
    return conditions.stream()
        .filter(c -> type.equals(c.get("type")))
        .findFirst()
        .map(
            c ->
                new Cond(
                    (String) c.get("status"), (String) c.get("reason"), (String) c.get("message")));
  }
}
