package dev.operators.django.tls;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.kube.Informers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Watches the ACME objects cert-manager creates behind an app's Certificate (CertificateRequest,
 * Order, Challenge), read-only, to say why a certificate is not issued. Registered together with
 * the Certificate informer, once the cert-manager API exists.
 *
 * <p>They carry neither the app's labels nor an owner chain a cache can follow in one step, so the
 * informers are not label-filtered; they hold only these three kinds, which exist while an issuance
 * is in flight (plus one request per Certificate revision). The HTTP-01 solver's pods, services and
 * ingresses are not among them.
 */
final class AcmeWatch {
  static final Map<String, GroupVersionKind> SOURCES =
      Map.of(
          "certificaterequests",
              new GroupVersionKind("cert-manager.io", "v1", "CertificateRequest"),
          "acme-orders", new GroupVersionKind("acme.cert-manager.io", "v1", "Order"),
          "acme-challenges", new GroupVersionKind("acme.cert-manager.io", "v1", "Challenge"));

  private AcmeWatch() {}

  static void register(EventSourceRetriever<DjangoApp> retriever) {
    var context = retriever.eventSourceContextForDynamicRegistration();
    var apps = context.getPrimaryCache();
    SOURCES.forEach(
        (source, kind) ->
            retriever.dynamicallyRegisterEventSource(
                new InformerEventSource<>(
                    Informers.ofKind(
                            context, kind, source, null, resource -> appsConcerned(apps, resource))
                        // cert-manager rewrites these objects on its retries; only a new status can
                        // change
                        // what the app reports.
                        .withOnUpdateFilter(
                            (updated, old) ->
                                !Objects.equals(
                                    updated.getAdditionalProperties().get("status"),
                                    old.getAdditionalProperties().get("status")))
                        .build(),
                    context)));
  }

  /** What blocks the app's Certificate, from the caches. */
  static Optional<AcmeProgress.Blocker> blocker(DjangoApp app, Context<DjangoApp> context) {
    var namespace = app.getMetadata().getNamespace();
    return AcmeProgress.blocker(
        DjangoAppResources.tlsSecret(app),
        listed(context, "certificaterequests", namespace),
        listed(context, "acme-orders", namespace),
        listed(context, "acme-challenges", namespace));
  }

  @SuppressWarnings("unchecked")
  private static List<GenericKubernetesResource> listed(
      Context<DjangoApp> context, String source, String namespace) {
    var eventSource =
        (InformerEventSource<GenericKubernetesResource, DjangoApp>)
            context
                .eventSourceRetriever()
                .getEventSourceFor(GenericKubernetesResource.class, source);
    return eventSource.list(namespace).toList();
  }

  /**
   * The apps of the namespace an object is about: a request names its Certificate (an annotation),
   * orders and challenges name the DNS names being validated.
   */
  @SuppressWarnings("unchecked")
  private static Set<ResourceID> appsConcerned(
      IndexerResourceCache<DjangoApp> apps, GenericKubernetesResource resource) {
    var annotations = resource.getMetadata().getAnnotations();
    var certificate =
        annotations == null ? null : annotations.get(AcmeProgress.CERTIFICATE_NAME_ANNOTATION);
    var spec =
        (Map<String, Object>) resource.getAdditionalProperties().getOrDefault("spec", Map.of());
    var names = new HashSet<Object>((List<Object>) spec.getOrDefault("dnsNames", List.of()));
    if (spec.get("dnsName") != null) {
      names.add(spec.get("dnsName"));
    }
    return apps.list(resource.getMetadata().getNamespace())
        .filter(app -> app.getSpec().ingress != null && app.getSpec().ingress.tls != null)
        .filter(
            app ->
                DjangoAppResources.tlsSecret(app).equals(certificate)
                    || names.contains(app.getSpec().ingress.host))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}
