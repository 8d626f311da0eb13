package dev.operators.django.reconciler;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.dependent.DeploymentDependent;
import dev.operators.django.hosts.HostDecision;
import dev.operators.django.release.ReleaseGate;
import dev.operators.django.release.ReleaseJobs;
import dev.operators.django.status.IngressRefusals;
import dev.operators.django.status.StatusAggregator.ChildFailure;
import java.util.List;

/**
 * What the decisions made of the observation: which image the web may run and which Jobs run
 * (release), which hosts are the app's (hosts), and what the platform's rules refuse of its
 * Ingress.
 */
record Plan(ReleaseGate.Decision release, HostDecision hosts, List<ChildFailure> refusals) {

  static Plan of(DjangoApp app, AppFacts observed, HostDecision hosts, OperatorSettings settings) {
    var release =
        ReleaseGate.decide(
            ReleaseJobs.observe(
                app,
                observed.references(),
                observed.jobs(),
                observed.web().map(DeploymentDependent::image)));
    return new Plan(release, hosts, IngressRefusals.of(app, settings, hosts));
  }
}
