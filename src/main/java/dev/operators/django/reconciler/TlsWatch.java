package dev.operators.django.reconciler;

import static dev.operators.django.api.DjangoAppResources.LABEL_COMPONENT;
import static dev.operators.django.api.DjangoAppResources.LABEL_INSTANCE;
import static dev.operators.django.api.DjangoAppResources.MANAGED_SELECTOR;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.tls.AcmeProgress;
import dev.operators.django.tls.CertificateFacts;
import dev.operators.django.tls.IssuerDecision;
import dev.operators.django.tls.TlsConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches cert-manager's side of an app's TLS: the Certificate that ingress-shim creates (only
 * once the cert-manager API exists; it is looked for again every 10 seconds until then, so a later
 * install is picked up without a restart) and the issued TLS Secret. Both carry the app's labels
 * (the Certificate copies the Ingress's, the Secret gets them through the secret template), so the
 * informers are label-filtered. The operator only ever reads them.
 */
final class TlsWatch {
  private static final Logger log = LoggerFactory.getLogger(TlsWatch.class);
  static final String TLS_SECRETS = "tls-secrets";
  static final String CERTIFICATES = "certificates";
  static final GroupVersionKind CERTIFICATE =
      new GroupVersionKind("cert-manager.io", "v1", "Certificate");
  private static final Duration RECHECK = Duration.ofSeconds(10);

  private final Clock clock;
  private Instant lastCheck;
  private volatile boolean certManagerInstalled;

  TlsWatch(Clock clock) {
    this.clock = clock;
  }

  InformerEventSource<Secret, DjangoApp> tlsSecrets(EventSourceContext<DjangoApp> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration
        .from(Secret.class, DjangoApp.class)
        .withName(TLS_SECRETS)
        .withLabelSelector(MANAGED_SELECTOR + "," + LABEL_COMPONENT + "=" + DjangoAppResources.TLS)
        .withSecondaryToPrimaryMapper(byInstanceLabel())
        .withNamespacesInheritedFromController()
        .withItemStore(PrunedItemStore.forController(context, PrunedItemStore::new))
        .build(), context);
  }

  IssuerDecision.Decision decide(DjangoApp app, TlsConfig config, Context<DjangoApp> context) {
    var name = DjangoAppResources.tlsSecret(app);
    var id = new ResourceID(name, app.getMetadata().getNamespace());
    var installed = certManagerInstalled(context);
    Optional<GenericKubernetesResource> certificate = installed
        ? cached(context, GenericKubernetesResource.class, CERTIFICATES, id) : Optional.empty();
    var secret = cached(context, Secret.class, TLS_SECRETS, id);
    var ingress = context.getSecondaryResource(Ingress.class);
    var acme = installed ? AcmeWatch.blocker(app, context)
        : Optional.<AcmeProgress.Blocker>empty();
    var facts = new IssuerDecision.Facts(
        installed,
        ingress.map(i -> i.getMetadata().getAnnotations())
            .map(a -> a.get(config.issuerAnnotation())),
        ingress.map(TlsWatch::tlsHosts).orElse(List.of()),
        certificate.map(CertificateFacts::certificate),
        secret.flatMap(CertificateFacts::issuedSecret),
        acme);
    return IssuerDecision.decide(config, List.of(app.getSpec().ingress.host), facts);
  }

  Optional<String> notAfter(DjangoApp app, Context<DjangoApp> context) {
    if (!certManagerInstalled) {
      return Optional.empty();
    }
    return cached(context, GenericKubernetesResource.class, CERTIFICATES,
        new ResourceID(DjangoAppResources.tlsSecret(app), app.getMetadata().getNamespace()))
        .map(CertificateFacts::certificate)
        .flatMap(CertificateFacts.Certificate::notAfter);
  }

  /** Whether the TLS Secret holds a certificate, from any issuer, that covers the app's host. */
  boolean certificateServes(DjangoApp app, Context<DjangoApp> context) {
    if (app.getSpec().ingress == null || app.getSpec().ingress.host == null) {
      return false;
    }
    var id = new ResourceID(DjangoAppResources.tlsSecret(app), app.getMetadata().getNamespace());
    return cached(context, Secret.class, TLS_SECRETS, id)
        .flatMap(CertificateFacts::issuedSecret)
        .filter(s -> s.altNames().contains(app.getSpec().ingress.host))
        .isPresent();
  }

  private static List<String> tlsHosts(Ingress ingress) {
    return ingress.getSpec().getTls() == null ? List.of()
        : ingress.getSpec().getTls().stream().flatMap(t -> t.getHosts().stream()).toList();
  }

  private static <R extends HasMetadata> Optional<R> cached(Context<DjangoApp> context,
      Class<R> type, String source, ResourceID id) {
    var eventSource = context.eventSourceRetriever().getEventSourceFor(type, source);
    return ((InformerEventSource<R, DjangoApp>) eventSource).get(id);
  }

  /**
   * Registers the Certificate informer the first time the cert-manager API is found. Until then
   * a negative answer is reused for 10 seconds; concurrent reconciles wait for a check in flight
   * rather than report cert-manager missing.
   */
  private synchronized boolean certManagerInstalled(Context<DjangoApp> context) {
    if (certManagerInstalled) {
      return true;
    }
    var now = clock.instant();
    if (lastCheck != null && Duration.between(lastCheck, now).compareTo(RECHECK) < 0) {
      return false;
    }
    lastCheck = now;
    if (!apiExists(context.getClient())) {
      return false;
    }
    var retriever = context.eventSourceRetriever();
    retriever.dynamicallyRegisterEventSource(new InformerEventSource<>(
        InformerEventSourceConfiguration.from(CERTIFICATE, DjangoApp.class)
            .withName(CERTIFICATES)
            .withLabelSelector(MANAGED_SELECTOR)
            .withSecondaryToPrimaryMapper(byInstanceLabel())
            .withNamespacesInheritedFromController()
            .withItemStore(PrunedItemStore.forController(
                retriever.eventSourceContextForDynamicRegistration(), PrunedItemStore::new))
            .build(),
        retriever.eventSourceContextForDynamicRegistration()));
    AcmeWatch.register(retriever);
    certManagerInstalled = true;
    log.info("cert-manager's Certificate API found: watching Certificates and their ACME"
        + " requests, orders and challenges");
    return true;
  }

  private static boolean apiExists(KubernetesClient client) {
    try {
      var resources = client.getApiResources("cert-manager.io/v1");
      return resources != null && resources.getResources().stream()
          .anyMatch(r -> "certificates".equals(r.getName()));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        log.warn("could not look up the cert-manager API: {}", e.getMessage());
      }
      return false;
    }
  }

  /** cert-manager's objects carry no owner reference to the app; they carry its labels. */
  private static <R extends HasMetadata> SecondaryToPrimaryMapper<R> byInstanceLabel() {
    return resource -> {
      var labels = resource.getMetadata().getLabels();
      var instance = labels == null ? null : labels.get(LABEL_INSTANCE);
      return instance == null ? Set.of()
          : Set.of(new ResourceID(instance, resource.getMetadata().getNamespace()));
    };
  }
}
