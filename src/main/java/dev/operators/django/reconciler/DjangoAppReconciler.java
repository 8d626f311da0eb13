package dev.operators.django.reconciler;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.dependent.AppInputs;
import dev.operators.django.dependent.AutoscalerDependent;
import dev.operators.django.dependent.ConfigMapDependent;
import dev.operators.django.dependent.DeploymentDependent;
import dev.operators.django.dependent.DeploymentReleased;
import dev.operators.django.dependent.DisruptionBudgetWanted;
import dev.operators.django.dependent.IngressDependent;
import dev.operators.django.dependent.IngressRequested;
import dev.operators.django.dependent.ProcessDeploymentDependent;
import dev.operators.django.dependent.ScheduleCronJobDependent;
import dev.operators.django.dependent.SecretKeyDependent;
import dev.operators.django.dependent.ServiceDependent;
import dev.operators.django.dependent.SingletonStatefulSetDependent;
import dev.operators.django.dependent.WebDisruptionBudgetDependent;
import dev.operators.django.hosts.HostWatch;
import dev.operators.django.kube.PrunedItemStore;
import dev.operators.django.references.ReferenceObserver;
import dev.operators.django.release.JobRunner;
import dev.operators.django.release.JobWatch;
import dev.operators.django.release.ReleaseGate;
import dev.operators.django.status.AppUrl;
import dev.operators.django.status.ChildFailures;
import dev.operators.django.status.IngressRefusals;
import dev.operators.django.status.JobCreateFailures;
import dev.operators.django.status.PodWatch;
import dev.operators.django.status.ProcessAvailability;
import dev.operators.django.status.ScheduleRuns;
import dev.operators.django.status.StatusAggregator;
import dev.operators.django.status.StatusAggregator.ChildFailure;
import dev.operators.django.status.StatusReporter;
import dev.operators.django.status.WorkloadFailures;
import dev.operators.django.tls.CertificateWatch;
import dev.operators.django.tls.TlsOutcome;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observe, decide, act, report. The referenced Secrets and ConfigMaps are observed first; while one
 * is missing the children are left as they are. The certificate (tls) and the release gate
 * (release) decide from the world which issuer the Ingress asks for and which image the web runs.
 * Then the gate's Jobs are started, the workflow applies every child with server-side apply, and
 * the status is recomputed from the caches and written only when it changed (status).
 */
@Workflow(
    explicitInvocation = true,
    handleExceptionsInReconciler = true,
    dependents = {
      @Dependent(name = ConfigMapDependent.NAME, type = ConfigMapDependent.class),
      @Dependent(name = SecretKeyDependent.NAME, type = SecretKeyDependent.class),
      @Dependent(
          name = DeploymentDependent.NAME,
          type = DeploymentDependent.class,
          dependsOn = {ConfigMapDependent.NAME, SecretKeyDependent.NAME},
          reconcilePrecondition = DeploymentReleased.class),
      // The processes and schedules follow the same gate as the web (DeploymentReleased).
      @Dependent(
          name = ProcessDeploymentDependent.NAME,
          type = ProcessDeploymentDependent.class,
          dependsOn = {ConfigMapDependent.NAME, SecretKeyDependent.NAME},
          reconcilePrecondition = DeploymentReleased.class),
      @Dependent(
          name = SingletonStatefulSetDependent.NAME,
          type = SingletonStatefulSetDependent.class,
          dependsOn = {ConfigMapDependent.NAME, SecretKeyDependent.NAME},
          reconcilePrecondition = DeploymentReleased.class),
      @Dependent(
          name = ScheduleCronJobDependent.NAME,
          type = ScheduleCronJobDependent.class,
          dependsOn = {ConfigMapDependent.NAME, SecretKeyDependent.NAME},
          reconcilePrecondition = DeploymentReleased.class),
      @Dependent(name = AutoscalerDependent.NAME, type = AutoscalerDependent.class),
      @Dependent(
          name = WebDisruptionBudgetDependent.NAME,
          type = WebDisruptionBudgetDependent.class,
          reconcilePrecondition = DisruptionBudgetWanted.class),
      @Dependent(name = ServiceDependent.NAME, type = ServiceDependent.class),
      @Dependent(
          name = IngressDependent.NAME,
          type = IngressDependent.class,
          reconcilePrecondition = IngressRequested.class)
    })
@ControllerConfiguration(
    name = DjangoAppReconciler.NAME,
    fieldManager = OperatorSettings.FIELD_MANAGER,
    informer = @Informer(itemStore = PrunedItemStore.class))
public class DjangoAppReconciler implements Reconciler<DjangoApp> {
  public static final String NAME = "djangoapp";
  private static final Logger log = LoggerFactory.getLogger(DjangoAppReconciler.class);

  private final OperatorSettings settings;
  private final ReferenceObserver references = new ReferenceObserver();
  private final Clock clock;
  private final StatusReporter reporter;
  private final CertificateWatch certificates;
  private HostWatch hostWatch;
  private volatile boolean stopping;

  public DjangoAppReconciler(OperatorSettings settings, MeterRegistry registry) {
    this(settings, registry, Clock.systemUTC());
  }

  DjangoAppReconciler(OperatorSettings settings, MeterRegistry registry, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.reporter = new StatusReporter(settings, registry, clock);
    this.certificates = new CertificateWatch(clock);
  }

  /**
   * Called before the operator stops. java-operator-sdk stops the informers before in-flight
   * reconciles finish, so a reconcile that runs on would see its children vanish from the caches
   * and report them missing or conflicting; from now on nothing is written.
   */
  public void stopping() {
    stopping = true;
  }

  @Override
  public UpdateControl<DjangoApp> reconcile(DjangoApp app, Context<DjangoApp> context) {
    if (stopping) {
      return UpdateControl.noUpdate();
    }
    // observe
    var refs = references.observe(app, context);
    var web = DeploymentDependent.current(app, context);
    var ingress = IngressDependent.current(app, context);
    var tls = certificates.observe(app, settings, ingress, context);
    var jobs = JobWatch.jobs(app, context);
    // decide
    var release =
        ReleaseGate.decide(JobWatch.observe(app, refs, jobs, web.map(DeploymentDependent::image)));
    var hosts = hostWatch.decide(app);
    // act
    List<ChildFailure> failures = List.of();
    List<ChildFailure> refusedJobs = List.of();
    if (refs.complete()) {
      refusedJobs =
          JobStarts.run(app, () -> JobRunner.apply(context.getClient(), app, refs, release, jobs));
      new AppInputs(settings, refs, tls, release.webImage(), hosts).putInto(context);
      var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
      failures = ChildFailures.from(app, result.getErroredDependents());
    } else {
      log.debug(
          "{}/{}: references incomplete, children left as they are",
          app.getMetadata().getNamespace(),
          app.getMetadata().getName());
    }
    failures =
        IngressRefusals.after(
            IngressRefusals.after(refusedJobs, failures), IngressRefusals.of(app, settings, hosts));
    if (stopping) {
      return UpdateControl.noUpdate();
    }
    // report
    var deployment = DeploymentDependent.current(app, context).orElse(null);
    var pods = context.getSecondaryResources(Pod.class);
    var status =
        StatusAggregator.aggregate(
            new StatusAggregator.Observation(
                app,
                deployment,
                refs,
                failures,
                tls,
                Optional.of(release),
                WorkloadFailures.of(pods, deployment)
                    .or(
                        () ->
                            JobCreateFailures.of(jobs, context.getSecondaryResources(Event.class))),
                new AppUrl.Facts(
                    IngressDependent.current(app, context).isPresent(),
                    hosts.ingressHostRefused(),
                    tls.filter(TlsOutcome::certificateServes).isPresent())),
            clock);
    ProcessAvailability.addTo(
        status,
        app,
        processes(context, Deployment.class),
        processes(context, StatefulSet.class),
        pods,
        clock);
    status.schedules =
        ScheduleRuns.of(
            app, context.getSecondaryResources(CronJob.class), ScheduleRuns.jobs(context));
    return reporter.report(app, status, tls, failures, context);
  }

  @Override
  public List<EventSource<?, DjangoApp>> prepareEventSources(
      EventSourceContext<DjangoApp> context) {
    var sources = new ArrayList<EventSource<?, DjangoApp>>(references.eventSources(context));
    sources.add(certificates.tlsSecrets(context));
    sources.add(JobWatch.eventSource(context));
    sources.add(PodWatch.eventSource(context));
    sources.add(JobCreateFailures.eventSource(context));
    hostWatch = new HostWatch(context.getClient(), settings.watchNamespaces());
    sources.add(hostWatch);
    sources.add(ScheduleRuns.eventSource(context));
    return sources;
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

  @Override
  public ErrorStatusUpdateControl<DjangoApp> updateErrorStatus(
      DjangoApp app, Context<DjangoApp> context, Exception e) {
    if (stopping) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    if (ChildFailures.isConflict(e)) {
      // Someone changed the app meanwhile; the event that follows reconciles the new version.
      log.debug(
          "{}/{}: conflict, reconciling again",
          app.getMetadata().getNamespace(),
          app.getMetadata().getName());
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    log.warn(
        "{}/{}: reconcile failed: {}",
        app.getMetadata().getNamespace(),
        app.getMetadata().getName(),
        ChildFailures.safeMessage(e));
    var status = app.getStatus() != null ? app.getStatus() : new DjangoAppStatus();
    var failed =
        StatusReporter.withReconcileError(app, status, ChildFailures.safeMessage(e), clock);
    return reporter.reportError(app, failed, context);
  }
}
