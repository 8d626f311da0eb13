package dev.operators.django.reconciler;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.config.AnnotationPolicy;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.hosts.HostDecision;
import java.util.ArrayList;
import java.util.List;

/**
 * What the platform's rules refuse of the app's Ingress, as failures for the status: hosts that
 * belong to another app or Ingress, and annotations the annotation policy refuses. They come
 * first, so that Ready and Stalled carry their reason.
 */
final class IngressRefusals {
  private IngressRefusals() {}

  static List<StatusAggregator.ChildFailure> of(DjangoApp app, OperatorSettings settings,
      HostDecision hosts) {
    var refusals = new ArrayList<StatusAggregator.ChildFailure>();
    var name = DjangoAppResources.ingress(app);
    if (hosts.any()) {
      refusals.add(new StatusAggregator.ChildFailure("Ingress", name, hosts.reason(),
          hosts.message()));
    }
    if (app.getSpec().ingress != null && !hosts.ingressHostRefused()) {
      var annotations = settings.annotationPolicy().refused(app.getSpec().ingress.annotations,
          app.getMetadata().getNamespace());
      if (!annotations.isEmpty()) {
        refusals.add(new StatusAggregator.ChildFailure("Ingress", name, "AnnotationRefused",
            AnnotationPolicy.message(annotations)));
      }
    }
    return refusals;
  }

  /** The refusals, then the failures of the writes. */
  static List<StatusAggregator.ChildFailure> first(List<StatusAggregator.ChildFailure> refusals,
      List<StatusAggregator.ChildFailure> failures) {
    if (refusals.isEmpty()) {
      return failures;
    }
    var all = new ArrayList<>(refusals);
    all.addAll(failures);
    return all;
  }
}
