package dev.operators.django.testing.certmanager;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for cert-manager's controller in one namespace, for clusters where the real one
 * cannot run (its controller module cannot be built from the Go module proxy). It reproduces the
 * behaviour the operator depends on, as cert-manager v1.19 implements it:
 *
 * <ul>
 *   <li><b>ingress-shim</b> ({@code pkg/controller/certificate-shim/sync.go}, {@code helper.go}):
 *       for each {@code spec.tls[]} of an Ingress annotated with {@code cert-manager.io/issuer} or
 *       {@code cert-manager.io/cluster-issuer}, a Certificate named after the {@code secretName},
 *       controller-owned by the Ingress, with the Ingress's labels, {@code dnsNames} from the TLS
 *       hosts, {@code issuerRef} from the annotation, and {@code secretTemplate} from the
 *       {@code cert-manager.io/secret-template} annotation; updated when {@code certNeedsUpdate}
 *       finds the issuer, names, labels or template changed.
 *   <li><b>issuance triggers</b> ({@code internal/controller/certificates/policies/checks.go}):
 *       a Certificate is (re)issued when its Secret is missing ({@code DoesNotExist}), or its
 *       {@code cert-manager.io/issuer-name} annotation differs from the issuerRef
 *       ({@code SecretIssuerAnnotationsMismatch}, reason {@code IncorrectIssuer}), or its names
 *       differ from the spec.
 *   <li><b>conditions</b> ({@code pkg/apis/certmanager/v1/types_certificate.go}, {@code
 *       pkg/controller/certificates/issuing}): {@code Issuing=True} while issuing; on success the
 *       Secret is written and {@code Issuing} removed, {@code Ready=True}; on failure {@code
 *       Issuing=False, reason Failed} with the request's message, {@code failedIssuanceAttempts}
 *       and {@code lastFailureTime}. During a reissue, a Certificate whose old Secret is valid
 *       stays {@code Ready=True} (the trap the operator must not fall into).
 *   <li><b>the Secret</b> ({@code pkg/controller/certificates/issuing/internal/secret.go}): type
 *       {@code kubernetes.io/tls} with a real self-signed certificate and key, the
 *       {@code cert-manager.io/issuer-name/-kind/-group}, {@code alt-names} and {@code
 *       certificate-name} annotations, the secret template's labels and {@code
 *       controller.cert-manager.io/fao=true}.
 * </ul>
 *
 * <p>Not reproduced: ACME Orders and Challenges, CertificateRequests (their failure reaches the
 * Certificate's Issuing condition, which is what is simulated), renewal, and private-key rotation
 * policies. Failures and delays can be injected per issuer.
 */
public final class CertManagerSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertManagerSimulator.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String ISSUER_NAME = "cert-manager.io/issuer-name";

  private final KubernetesClient client;
  private final String namespace;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    var thread = new Thread(r, "cert-manager-simulator");
    thread.setDaemon(true);
    return thread;
  });
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private final Map<String, Instant> issuingSince = new ConcurrentHashMap<>();
  private final Map<String, Instant> readyAt = new ConcurrentHashMap<>();
  private volatile Duration issuanceDelay = Duration.ZERO;

  private CertManagerSimulator(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public static CertManagerSimulator start(KubernetesClient client, String namespace) {
    var simulator = new CertManagerSimulator(client, namespace);
    simulator.loop.scheduleWithFixedDelay(simulator::syncSafely, 0, 50, TimeUnit.MILLISECONDS);
    return simulator;
  }

  /**
   * Issuance from this issuer, or for this DNS name, fails with the given message until {@link
   * #heal} is called.
   */
  public void fail(String issuerOrHost, String message) {
    failures.put(issuerOrHost, message);
  }

  public void heal(String issuerOrHost) {
    failures.remove(issuerOrHost);
  }

  private String failure(String issuer, List<String> dnsNames) {
    var failure = failures.get(issuer);
    for (var name : dnsNames) {
      failure = failure != null ? failure : failures.get(name);
    }
    return failure;
  }

  /** How long an issuance takes. */
  public void delayIssuance(Duration delay) {
    issuanceDelay = delay;
  }

  /** When the Certificate last became Ready with this issuer, if it did. */
  public java.util.Optional<Instant> readyAt(String certificate, String issuer) {
    return java.util.Optional.ofNullable(readyAt.get(certificate + "/" + issuer));
  }

  public static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> certificates(KubernetesClient client) {
    return client.genericKubernetesResources("cert-manager.io/v1", "Certificate");
  }

  private void syncSafely() {
    try {
      syncIngresses();
      syncCertificates();
    } catch (KubernetesClientException e) {
      // A conflict or a deleted namespace: the next round starts from fresh reads.
      log.debug("simulator round failed: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("simulator round failed", e);
    }
  }

  // --- ingress-shim ---------------------------------------------------------------------------

  private void syncIngresses() {
    for (var ingress : client.network().v1().ingresses().inNamespace(namespace).list().getItems()) {
      var annotations = Objects.requireNonNullElse(ingress.getMetadata().getAnnotations(),
          Map.<String, String>of());
      String kind;
      String issuer;
      if (annotations.containsKey("cert-manager.io/issuer")) {
        kind = "Issuer";
        issuer = annotations.get("cert-manager.io/issuer");
      } else if (annotations.containsKey("cert-manager.io/cluster-issuer")) {
        kind = "ClusterIssuer";
        issuer = annotations.get("cert-manager.io/cluster-issuer");
      } else {
        continue;
      }
      if (ingress.getSpec().getTls() == null) {
        continue;
      }
      for (var tls : ingress.getSpec().getTls()) {
        syncCertificateFor(ingress, tls.getSecretName(), tls.getHosts(), kind, issuer,
            annotations.get("cert-manager.io/secret-template"));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void syncCertificateFor(Ingress ingress, String secretName, List<String> hosts,
      String kind, String issuer, String secretTemplate) {
    var spec = new LinkedHashMap<String, Object>();
    spec.put("secretName", secretName);
    spec.put("dnsNames", hosts);
    spec.put("issuerRef", Map.of("name", issuer, "kind", kind, "group", "cert-manager.io"));
    if (secretTemplate != null) {
      try {
        spec.put("secretTemplate", JSON.readValue(secretTemplate, Map.class));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    var labels = Objects.requireNonNullElse(ingress.getMetadata().getLabels(),
        Map.<String, String>of());
    var existing = certificates(client).inNamespace(namespace).withName(secretName).get();
    if (existing == null) {
      certificates(client).inNamespace(namespace).resource(new GenericKubernetesResourceBuilder()
          .withApiVersion("cert-manager.io/v1").withKind("Certificate")
          .withNewMetadata()
            .withName(secretName).withNamespace(namespace).withLabels(labels)
            .withOwnerReferences(new OwnerReferenceBuilder()
                .withApiVersion("networking.k8s.io/v1").withKind("Ingress")
                .withName(ingress.getMetadata().getName()).withUid(ingress.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build())
          .endMetadata()
          .withAdditionalProperties(Map.of("spec", spec))
          .build()).create();
      log.info("ingress-shim: created Certificate {} for {} with {}", secretName, hosts, issuer);
    } else if (!spec.equals(existing.getAdditionalProperties().get("spec"))
        || !labels.equals(Objects.requireNonNullElse(existing.getMetadata().getLabels(),
            Map.of()))) {
      existing.getAdditionalProperties().put("spec", spec);
      existing.getMetadata().setLabels(labels);
      certificates(client).inNamespace(namespace).resource(existing).update();
      log.info("ingress-shim: updated Certificate {} to {} with {}", secretName, hosts, issuer);
    }
  }

  // --- certificates controller ----------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private void syncCertificates() {
    for (var certificate : certificates(client).inNamespace(namespace).list().getItems()) {
      var name = certificate.getMetadata().getName();
      var spec = (Map<String, Object>) certificate.getAdditionalProperties().get("spec");
      var issuerRef = (Map<String, Object>) spec.get("issuerRef");
      var issuer = (String) issuerRef.get("name");
      var dnsNames = (List<String>) spec.get("dnsNames");
      var secretName = (String) spec.get("secretName");
      var secret = client.secrets().inNamespace(namespace).withName(secretName).get();
      var status = new HashMap<String, Object>(
          (Map<String, Object>) certificate.getAdditionalProperties().getOrDefault("status",
              Map.of()));
      var conditions = new ArrayList<Map<String, Object>>(
          (List<Map<String, Object>>) status.getOrDefault("conditions", List.of()));

      String trigger = issuanceTrigger(secret, issuer, dnsNames);
      if (trigger == null) {
        if (setCondition(conditions, "Ready", "True", "Ready",
            "Certificate is up to date and has not expired") | removeCondition(conditions,
            "Issuing")) {
          writeStatus(certificate, status, conditions);
        }
        continue;
      }
      var issuing = condition(conditions, "Issuing");
      var key = name + "/" + issuer;
      if (issuing == null || (!"True".equals(issuing.get("status"))
          && failure(issuer, dnsNames) == null)) {
        // Start (or, after a failure was healed, retry) an issuance.
        issuingSince.put(key, Instant.now());
        setCondition(conditions, "Issuing", "True", trigger, message(trigger, issuer));
        if (secret == null) {
          setCondition(conditions, "Ready", "False", "DoesNotExist",
              "Issuing certificate as Secret does not exist");
        }
        writeStatus(certificate, status, conditions);
        continue;
      }
      if (!"True".equals(issuing.get("status"))) {
        continue; // failed, and not healed: cert-manager backs off; no tight loop
      }
      var since = issuingSince.getOrDefault(key, Instant.EPOCH);
      if (Instant.now().isBefore(since.plus(issuanceDelay))) {
        continue;
      }
      var failure = failure(issuer, dnsNames);
      if (failure != null) {
        setCondition(conditions, "Issuing", "False", "Failed",
            "The certificate request has failed to complete and will be retried: " + failure);
        if (secret == null) {
          setCondition(conditions, "Ready", "False", "DoesNotExist",
              "Issuing certificate as Secret does not exist");
        }
        status.put("failedIssuanceAttempts",
            ((Number) status.getOrDefault("failedIssuanceAttempts", 0)).intValue() + 1);
        status.put("lastFailureTime", now());
        writeStatus(certificate, status, conditions);
        log.info("certificates: issuance of {} from {} failed: {}", name, issuer, failure);
        continue;
      }
      var issued = SelfSignedCertificates.issue(issuer, dnsNames);
      writeSecret(certificate, secret, secretName, issuerRef, dnsNames, spec, issued);
      removeCondition(conditions, "Issuing");
      setCondition(conditions, "Ready", "True", "Ready",
          "Certificate is up to date and has not expired");
      status.remove("failedIssuanceAttempts");
      status.remove("lastFailureTime");
      status.put("notBefore", issued.notBefore().toString());
      status.put("notAfter", issued.notAfter().toString());
      status.put("renewalTime", issued.notAfter().minus(Duration.ofDays(30)).toString());
      status.put("revision", ((Number) status.getOrDefault("revision", 0)).intValue() + 1);
      readyAt.put(key, Instant.now()); // before the write: delays measured from it are upper bounds
      writeStatus(certificate, status, conditions);
      log.info("certificates: issued {} for {} from {}", name, dnsNames, issuer);
    }
  }

  /** cert-manager's reissue policies, in the order it checks them; null when up to date. */
  private static String issuanceTrigger(Secret secret, String issuer, List<String> dnsNames) {
    if (secret == null || secret.getData() == null || !secret.getData().containsKey("tls.crt")) {
      return "DoesNotExist";
    }
    var annotations = Objects.requireNonNullElse(secret.getMetadata().getAnnotations(),
        Map.<String, String>of());
    if (!issuer.equals(annotations.get(ISSUER_NAME))) {
      return "IncorrectIssuer";
    }
    if (!String.join(",", dnsNames).equals(annotations.get("cert-manager.io/alt-names"))) {
      return "SecretMismatch";
    }
    return null;
  }

  private static String message(String trigger, String issuer) {
    return switch (trigger) {
      case "DoesNotExist" -> "Issuing certificate as Secret does not exist";
      case "IncorrectIssuer" -> "Issuing certificate as Secret was previously issued by another"
          + " issuer than \"" + issuer + "\"";
      default -> "Issuing certificate as Secret does not match the Certificate's names";
    };
  }

  @SuppressWarnings("unchecked")
  private void writeSecret(GenericKubernetesResource certificate, Secret existing,
      String secretName, Map<String, Object> issuerRef, List<String> dnsNames,
      Map<String, Object> spec, SelfSignedCertificates.Issued issued) {
    var template = (Map<String, Object>) spec.getOrDefault("secretTemplate", Map.of());
    var labels = new LinkedHashMap<String, String>(
        (Map<String, String>) template.getOrDefault("labels", Map.of()));
    labels.put("controller.cert-manager.io/fao", "true");
    var annotations = new LinkedHashMap<String, String>();
    annotations.put("cert-manager.io/alt-names", String.join(",", dnsNames));
    annotations.put("cert-manager.io/certificate-name", certificate.getMetadata().getName());
    annotations.put("cert-manager.io/common-name", "");
    annotations.put("cert-manager.io/ip-sans", "");
    annotations.put("cert-manager.io/uri-sans", "");
    annotations.put("cert-manager.io/issuer-group", (String) issuerRef.get("group"));
    annotations.put("cert-manager.io/issuer-kind", (String) issuerRef.get("kind"));
    annotations.put(ISSUER_NAME, (String) issuerRef.get("name"));
    var data = Map.of(
        "tls.crt", base64(issued.certificatePem()),
        "tls.key", base64(issued.keyPem()),
        "ca.crt", base64(issued.certificatePem()));
    if (existing == null) {
      client.secrets().inNamespace(namespace).resource(new SecretBuilder()
          .withNewMetadata().withName(secretName).withNamespace(namespace)
            .withLabels(labels).withAnnotations(annotations).endMetadata()
          .withType("kubernetes.io/tls")
          .withData(data)
          .build()).create();
    } else {
      existing.getMetadata().setLabels(labels);
      existing.getMetadata().setAnnotations(annotations);
      existing.setData(data);
      client.secrets().inNamespace(namespace).resource(existing).update();
    }
  }

  private void writeStatus(GenericKubernetesResource certificate, Map<String, Object> status,
      List<Map<String, Object>> conditions) {
    status.put("conditions", conditions);
    certificate.getAdditionalProperties().put("status", status);
    certificates(client).inNamespace(namespace).resource(certificate).updateStatus();
  }

  private static Map<String, Object> condition(List<Map<String, Object>> conditions,
      String type) {
    return conditions.stream().filter(c -> type.equals(c.get("type"))).findFirst().orElse(null);
  }

  /** Sets a condition, keeping lastTransitionTime unless the status changes. */
  private static boolean setCondition(List<Map<String, Object>> conditions, String type,
      String status, String reason, String message) {
    var existing = condition(conditions, type);
    if (existing != null && status.equals(existing.get("status"))
        && reason.equals(existing.get("reason")) && message.equals(existing.get("message"))) {
      return false;
    }
    var transition = existing != null && status.equals(existing.get("status"))
        ? existing.get("lastTransitionTime") : now();
    conditions.removeIf(c -> type.equals(c.get("type")));
    var condition = new LinkedHashMap<String, Object>();
    condition.put("type", type);
    condition.put("status", status);
    condition.put("reason", reason);
    condition.put("message", message);
    condition.put("lastTransitionTime", transition);
    conditions.add(condition);
    return true;
  }

  private static boolean removeCondition(List<Map<String, Object>> conditions, String type) {
    return conditions.removeIf(c -> type.equals(c.get("type")));
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
