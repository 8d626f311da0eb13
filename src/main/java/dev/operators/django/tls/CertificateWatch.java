package dev.operators.django.tls;

import static dev.operators.django.api.DjangoAppResources.LABEL_COMPONENT;
import static dev.operators.django.api.DjangoAppResources.LABEL_INSTANCE;
import static dev.operators.django.api.DjangoAppResources.MANAGED_SELECTOR;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.kube.Informers;
import dev.operators.django.kube.PrunedItemStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches cert-manager's side of an app's TLS: the Certificate that ingress-shim creates (only once
 * the cert-manager API exists; it is looked for again every 10 seconds until then, so a later
 * install is picked up without a restart) and the issued TLS Secret. Both carry the app's labels
 * (the Certificate copies the Ingress's, the Secret gets them through the secret template), so the
 * informers are label-filtered. The operator only ever reads them.
 */
public final class CertificateWatch {
  private static final Logger log = LoggerFactory.getLogger(CertificateWatch.class);
  static final String TLS_SECRETS = "tls-secrets";
  static final String CERTIFICATES = "certificates";
  static final GroupVersionKind CERTIFICATE =
      new GroupVersionKind("cert-manager.io", "v1", "Certificate");
  private static final Duration RECHECK = Duration.ofSeconds(10);

  private final Clock clock;
  private Instant lastCheck;
  private volatile boolean certManagerInstalled;

  public CertificateWatch(Clock clock) {
    this.clock = clock;
  }

  public InformerEventSource<Secret, DjangoApp> tlsSecrets(EventSourceContext<DjangoApp> context) {
    return new InformerEventSource<>(
        Informers.of(
                context,
                Secret.class,
                TLS_SECRETS,
                MANAGED_SELECTOR + "," + LABEL_COMPONENT + "=" + DjangoAppResources.TLS,
                Informers.byLabel(LABEL_INSTANCE),
                PrunedItemStore::new)
            .build(),
        context);
  }

  /** The app's certificate as cert-manager reports it, and the decision; empty without TLS. */
  public Optional<TlsOutcome> observe(
      DjangoApp app,
      OperatorSettings settings,
      Optional<Ingress> ingress,
      Context<DjangoApp> context) {
    return TlsConfig.of(app, settings).map(config -> observe(app, config, ingress, context));
  }

  private TlsOutcome observe(
      DjangoApp app, TlsConfig config, Optional<Ingress> ingress, Context<DjangoApp> context) {
    var name = DjangoAppResources.tlsSecret(app);
    var id = new ResourceID(name, app.getMetadata().getNamespace());
    var installed = certManagerInstalled(context);
    var certificate =
        installed
            ? Informers.cached(context, GenericKubernetesResource.class, CERTIFICATES, id)
                .map(CertificateFacts::certificate)
            : Optional.<CertificateFacts.Certificate>empty();
    var secret = Informers.cached(context, Secret.class, TLS_SECRETS, id);
    var acme = installed ? AcmeWatch.blocker(app, context) : Optional.<AcmeProgress.Blocker>empty();
    var facts =
        new IssuerDecision.Facts(
            installed,
            ingress
                .map(i -> i.getMetadata().getAnnotations())
                .map(a -> a.get(config.issuerAnnotation())),
            ingress.map(CertificateWatch::tlsHosts).orElse(List.of()),
            certificate,
            secret.flatMap(CertificateFacts::issuedSecret),
            acme);
    var decision = IssuerDecision.decide(config, List.of(app.getSpec().ingress.host), facts);
    var host = app.getSpec().ingress.host;
    var serves =
        host != null
            && secret
                .flatMap(CertificateFacts::issuedSecret)
                .filter(issued -> issued.altNames().contains(host))
                .isPresent();
    return new TlsOutcome(
        config, decision, certificate.flatMap(CertificateFacts.Certificate::notAfter), serves);
  }

  /** Whether the TLS Secret holds a certificate, from any issuer, that covers the app's host. */
  private static List<String> tlsHosts(Ingress ingress) {
    return ingress.getSpec().getTls() == null
        ? List.of()
        : ingress.getSpec().getTls().stream().flatMap(t -> t.getHosts().stream()).toList();
  }

  /**
   * Registers the Certificate informer the first time the cert-manager API is found. Until then a
   * negative answer is reused for 10 seconds; concurrent reconciles wait for a check in flight
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
    var dynamic = retriever.eventSourceContextForDynamicRegistration();
    retriever.dynamicallyRegisterEventSource(
        new InformerEventSource<>(
            Informers.ofKind(
                    dynamic,
                    CERTIFICATE,
                    CERTIFICATES,
                    MANAGED_SELECTOR,
                    Informers.byLabel(LABEL_INSTANCE))
                .build(),
            dynamic));
    AcmeWatch.register(retriever);
    certManagerInstalled = true;
    log.info(
        "cert-manager's Certificate API found: watching Certificates and their ACME"
            + " requests, orders and challenges");
    return true;
  }

  private static boolean apiExists(KubernetesClient client) {
    try {
      var resources = client.getApiResources("cert-manager.io/v1");
      return resources != null
          && resources.getResources().stream().anyMatch(r -> "certificates".equals(r.getName()));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        log.warn("could not look up the cert-manager API: {}", e.getMessage());
      }
      return false;
    }
  }
}
