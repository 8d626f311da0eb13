package dev.operators.django.reconciler;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.dependent.DeploymentDependent;
import dev.operators.django.dependent.IngressDependent;
import dev.operators.django.status.AppUrl;
import dev.operators.django.status.JobCreateFailures;
import dev.operators.django.status.ScheduleJobWatch;
import dev.operators.django.status.StatusAggregator;
import dev.operators.django.status.StatusAggregator.ChildFailure;
import dev.operators.django.status.Workers;
import dev.operators.django.status.WorkloadFailures;
import dev.operators.django.tls.TlsOutcome;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Optional;

/**
 * The status's observation: the world after the workflow ran (the children it just applied are in
 * the caches), with what was decided and what failed.
 */
final class StatusInputs {
  private StatusInputs() {}

  static StatusAggregator.Facts of(
      DjangoApp app,
      Context<DjangoApp> context,
      AppFacts observed,
      Plan plan,
      List<ChildFailure> failures) {
    var deployment = DeploymentDependent.current(app, context).orElse(null);
    var pods = List.copyOf(context.getSecondaryResources(Pod.class));
    return new StatusAggregator.Facts(
        app,
        deployment,
        observed.references(),
        failures,
        observed.tls(),
        Optional.of(plan.release()),
        WorkloadFailures.of(pods, deployment)
            .or(
                () ->
                    JobCreateFailures.of(
                        observed.jobs(), context.getSecondaryResources(Event.class))),
        new AppUrl.Facts(
            IngressDependent.current(app, context).isPresent(),
            plan.hosts().ingressHostRefused(),
            observed.tls().filter(TlsOutcome::certificateServes).isPresent(),
            plan.hosts().sharedWith()),
        new Workers(
            processes(context, Deployment.class),
            processes(context, StatefulSet.class),
            pods,
            List.copyOf(context.getSecondaryResources(CronJob.class)),
            ScheduleJobWatch.jobs(context)));
  }

  /** The processes' Deployments or StatefulSets (not the web's) in the informer caches. */
  private static <R extends HasMetadata> List<R> processes(
      Context<DjangoApp> context, Class<R> kind) {
    return context
        .getSecondaryResourcesAsStream(kind)
        .filter(
            r ->
                r.getMetadata().getLabels() != null
                    && r.getMetadata().getLabels().containsKey(DjangoAppResources.PROCESS_LABEL))
        .toList();
  }
}
