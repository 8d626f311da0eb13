package dev.operators.django.status;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.Problem;
import dev.operators.django.config.AnnotationPolicy;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.hosts.HostDecision;
import dev.operators.django.hosts.IngressClassDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the platform's rules refuse of the app's Ingress, as failures for the status: hosts that
 * belong to another app or Ingress, annotations the annotation policy refuses, and an ingress class
 * that no controller stands behind (see {@link IngressClassDecision}). They come after the failed
 * writes: a failed write is looked at again on a timer, a refusal only when something it depends on
 * changes.
 */
public final class IngressRefusals {
  private IngressRefusals() {}

  public static List<StatusAggregator.ChildFailure> of(
      DjangoApp app,
      OperatorSettings settings,
      HostDecision hosts,
      Optional<Problem> ingressClass) {
    var refusals = new ArrayList<StatusAggregator.ChildFailure>();
    var name = DjangoAppResources.ingress(app);
    if (hosts.any()) {
      refusals.add(
          new StatusAggregator.ChildFailure("Ingress", name, hosts.reason(), hosts.message()));
    }
    if (app.getSpec().ingress != null && !hosts.ingressHostRefused()) {
      var annotations =
          settings
              .annotationPolicy()
              .refused(app.getSpec().ingress.annotations, app.getMetadata().getNamespace());
      if (!annotations.isEmpty()) {
        refusals.add(
            new StatusAggregator.ChildFailure(
                "Ingress", name, "AnnotationRefused", AnnotationPolicy.message(annotations)));
      }
    }
    ingressClass.ifPresent(
        problem ->
            refusals.add(
                new StatusAggregator.ChildFailure(
                    "Ingress", name, problem.reason(), problem.message())));
    return refusals;
  }

  /**
   * Whether a stall with this reason ends only through a change the operator watches: the app's
   * spec, another app's or an Ingress's hosts (see HostWatch), the IngressClasses (see
   * IngressClassWatch), or the operator's settings (a restart). Looking again on a timer would find
   * the same answer.
   */
  static boolean resolvedByWatch(String reason) {
    return "HostConflict".equals(reason)
        || "HostServedElsewhere".equals(reason)
        || "AnnotationRefused".equals(reason)
        || IngressClassDecision.NOT_FOUND.equals(reason)
        || IngressClassDecision.NO_DEFAULT.equals(reason);
  }

  /** The failures of the writes, then the refusals. */
  public static List<StatusAggregator.ChildFailure> after(
      List<StatusAggregator.ChildFailure> failures, List<StatusAggregator.ChildFailure> refusals) {
    if (refusals.isEmpty()) {
      return failures;
    }
    var all = new ArrayList<>(failures);
    all.addAll(refusals);
    return all;
  }
}
