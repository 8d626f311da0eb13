package dev.operators.django.reconciler;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.Problem;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.dependent.DeploymentDependent;
import dev.operators.django.hosts.HostDecision;
import dev.operators.django.hosts.IngressClassDecision;
import dev.operators.django.hosts.IngressClasses;
import dev.operators.django.release.ReleaseGate;
import dev.operators.django.release.ReleaseJobs;
import dev.operators.django.status.IngressRefusals;
import dev.operators.django.status.StatusAggregator.ChildFailure;
import java.util.List;
import java.util.Optional;

/**
 * What the decisions made of the observation: which image the web may run and which Jobs run
 * (release), which hosts are the app's (hosts), and what the platform's rules refuse of its
 * Ingress.
 */
record Plan(ReleaseGate.Decision release, HostDecision hosts, List<ChildFailure> refusals) {

  static Plan of(
      DjangoApp app,
      AppFacts observed,
      HostDecision hosts,
      IngressClasses classes,
      OperatorSettings settings) {
    var release =
        ReleaseGate.decide(
            ReleaseJobs.observe(
                app,
                observed.references(),
                observed.jobs(),
                observed.web().map(DeploymentDependent::image)));
    return new Plan(
        release,
        hosts,
        IngressRefusals.of(app, settings, hosts, ingressClass(app, observed, classes, settings)));
  }

  /** Whether a controller stands behind the app's Ingress class; nothing without an Ingress. */
  private static Optional<Problem> ingressClass(
      DjangoApp app, AppFacts observed, IngressClasses classes, OperatorSettings settings) {
    var spec = app.getSpec().ingress;
    if (spec == null) {
      return Optional.empty();
    }
    return IngressClassDecision.decide(
        spec.className,
        settings.defaultIngressClass(),
        observed.ingress().map(i -> i.getSpec().getIngressClassName()),
        classes);
  }
}
