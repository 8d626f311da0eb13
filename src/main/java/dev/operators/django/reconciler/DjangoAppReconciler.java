package dev.operators.django.reconciler;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.config.OperatorSettings;
import dev.operators.django.dependent.AppInputs;
import dev.operators.django.dependent.AutoscalerDependent;
import dev.operators.django.dependent.DisruptionBudgetWanted;
import dev.operators.django.dependent.ProcessDeploymentDependent;
import dev.operators.django.dependent.ScheduleCronJobDependent;
import dev.operators.django.dependent.SingletonStatefulSetDependent;
import dev.operators.django.dependent.WebDisruptionBudgetDependent;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import dev.operators.django.dependent.ConfigMapDependent;
import dev.operators.django.dependent.DeploymentDependent;
import dev.operators.django.dependent.DeploymentReleased;
import dev.operators.django.dependent.ObservedReferences;
import dev.operators.django.release.ReleaseGate;
import dev.operators.django.release.ReleaseJobs;
import dev.operators.django.dependent.IngressDependent;
import dev.operators.django.dependent.IngressRequested;
import dev.operators.django.dependent.SecretKeyDependent;
import dev.operators.django.dependent.ServiceDependent;
import dev.operators.django.tls.IssuerDecision;
import dev.operators.django.tls.TlsConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observe, validate, reconcile, report. The referenced Secrets are checked first; while one is
 * missing the children are left as they are. The TLS issuer and the release gate (which image
 * the Deployment may run) are decided from the world. Then the management Jobs are started, the
 * workflow applies every child with server-side apply, and the status is recomputed from what
 * the caches hold and patched only when it changed.
 *
 * <p>The referenced user Secrets and ConfigMaps are watched, reduced to key names and a content
 * fingerprint (see {@link ReferenceObserver}): a rotated password rolls the pods at once.
 */
@Workflow(
    explicitInvocation = true,
    handleExceptionsInReconciler = true,
    dependents = {
      @Dependent(name = ConfigMapDependent.NAME, type = ConfigMapDependent.class),
      @Dependent(name = SecretKeyDependent.NAME, type = SecretKeyDependent.class),
      @Dependent(name = DeploymentDependent.NAME, type = DeploymentDependent.class,
          dependsOn = {ConfigMapDependent.NAME, SecretKeyDependent.NAME},
          reconcilePrecondition = DeploymentReleased.class),
      // The processes and schedules follow the same gate as the web (DeploymentReleased).
      @Dependent(name = ProcessDeploymentDependent.NAME, type = ProcessDeploymentDependent.class,
          dependsOn = {ConfigMapDependent.NAME, SecretKeyDependent.NAME},
          reconcilePrecondition = DeploymentReleased.class),
      @Dependent(name = SingletonStatefulSetDependent.NAME,
          type = SingletonStatefulSetDependent.class,
          dependsOn = {ConfigMapDependent.NAME, SecretKeyDependent.NAME},
          reconcilePrecondition = DeploymentReleased.class),
      @Dependent(name = ScheduleCronJobDependent.NAME, type = ScheduleCronJobDependent.class,
          dependsOn = {ConfigMapDependent.NAME, SecretKeyDependent.NAME},
          reconcilePrecondition = DeploymentReleased.class),
      @Dependent(name = AutoscalerDependent.NAME, type = AutoscalerDependent.class),
      @Dependent(name = WebDisruptionBudgetDependent.NAME,
          type = WebDisruptionBudgetDependent.class,
          reconcilePrecondition = DisruptionBudgetWanted.class),
      @Dependent(name = "service", type = ServiceDependent.class),
      @Dependent(name = "ingress", type = IngressDependent.class,
          reconcilePrecondition = IngressRequested.class)
    })
@ControllerConfiguration(
    name = DjangoAppReconciler.NAME,
    fieldManager = DjangoAppReconciler.FIELD_MANAGER,
    informer = @Informer(itemStore = PrunedItemStore.class))
public class DjangoAppReconciler implements Reconciler<DjangoApp> {
  public static final String NAME = "djangoapp";
  public static final String FIELD_MANAGER = "django-operator";
  private static final Logger log = LoggerFactory.getLogger(DjangoAppReconciler.class);

  private final OperatorSettings settings;
  private final ReferenceObserver references = new ReferenceObserver();
  private final Clock clock;
  private final EventRecorder events;
  private final StatusReporter reporter;
  private final TlsWatch tlsWatch;
  private final Counter promotions;
  private volatile boolean stopping;
  private static final Duration CERT_MANAGER_RECHECK = Duration.ofMinutes(1);

  public DjangoAppReconciler(OperatorSettings settings, MeterRegistry registry) {
    this(settings, registry, Clock.systemUTC());
  }

  DjangoAppReconciler(OperatorSettings settings, MeterRegistry registry, Clock clock) {
    this.settings = settings;
    this.promotions = Counter.builder("django_operator_tls_promotions")
        .description("Certificates moved from the staging to the production issuer")
        .register(registry);
    this.clock = clock;
    this.events = new EventRecorder(clock);
    this.reporter = new StatusReporter(events, settings, clock);
    this.tlsWatch = new TlsWatch(clock);
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
    var observedRefs = references.observe(app, context);
    var tls = TlsConfig.of(app, settings).map(config -> tlsWatch.decide(app, config, context));
    var jobs = ReleaseJobs.of(app, jobs(context));
    var deploymentImage = context.getSecondaryResource(Deployment.class, DeploymentDependent.NAME)
        .map(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    // Until the new image is migrated, keep the last migrated one (from the Jobs), else whatever
    // the Deployment runs.
    var serving = ReleaseJobs.migratedImage(jobs).filter(i -> deploymentImage.isPresent())
        .or(() -> deploymentImage);
    var release = ReleaseGate.decide(ReleaseJobs.observe(app, jobs.stream(), serving));
    var superuser = superuserJob(app, observedRefs, jobs);
    if (observedRefs.complete()) {
      ReleaseJobs.start(context.getClient(), app, observedRefs, release.start());
      if (release.released() && superuser.isEmpty() && app.getSpec().superuser != null) {
        ReleaseJobs.startSuperuser(context.getClient(), app, observedRefs, observedRefs
            .fingerprint("Secret", app.getSpec().superuser.credentialsSecret).orElseThrow());
      }
      ReleaseJobs.prune(context.getClient(), app, jobs);
    }
    new AppInputs(settings, observedRefs, tls.map(IssuerDecision.Decision::issuer),
        release.webImage()).putInto(context);

    List<StatusAggregator.ChildFailure> failures = List.of();
    if (observedRefs.complete()) {
      var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
      failures = ChildFailures.from(app, result.getErroredDependents());
      LegacyChildren.remove(app, context, jobs);
    } else {
      log.debug("{}/{}: references incomplete, children left as they are",
          app.getMetadata().getNamespace(), app.getMetadata().getName());
    }
    if (tls.filter(IssuerDecision.Decision::promoted).isPresent()
        && failures.stream().noneMatch(f -> "Ingress".equals(f.kind()))) {
      events.normal(context.getClient(), app, "Promoted", tls.get().message());
      promotions.increment();
    }
    if (stopping) {
      return UpdateControl.noUpdate();
    }
    var deployment = context.getSecondaryResource(Deployment.class, DeploymentDependent.NAME)
        .orElse(null);
    var status = StatusAggregator.aggregate(new StatusAggregator.Observation(app, deployment,
        observedRefs, failures, tls, tls.flatMap(t -> tlsWatch.notAfter(app, context)),
        Optional.of(release), ReleaseJobs.migratedImage(jobs),
        superuser.map(ReleaseJobs::state),
        WorkloadFailures.of(context.getSecondaryResources(Pod.class), deployment)), clock);
    ProcessAvailability.addTo(status, app, processes(context, Deployment.class),
        processes(context, StatefulSet.class), context.getSecondaryResources(Pod.class), clock);
    status.schedules = ScheduleRuns.of(app, context.getSecondaryResources(CronJob.class),
        context.getSecondaryResourcesAsStream(Job.class)
            .filter(j -> j.getMetadata().getLabels().containsKey(
                dev.operators.django.api.DjangoAppResources.SCHEDULE_LABEL)).toList());
    var control = reporter.report(app, status, context);
    if (tls.filter(t -> t.phase() == IssuerDecision.Phase.Unavailable).isPresent()) {
      // cert-manager may be installed later; look again without waiting for the full resync.
      control.rescheduleAfter(CERT_MANAGER_RECHECK.compareTo(settings.resyncInterval()) < 0
          ? CERT_MANAGER_RECHECK : settings.resyncInterval());
    }
    return control;
  }

  @Override
  public List<EventSource<?, DjangoApp>> prepareEventSources(
      EventSourceContext<DjangoApp> context) {
    var sources = new ArrayList<EventSource<?, DjangoApp>>(references.eventSources(context));
    sources.add(tlsWatch.tlsSecrets(context));
    sources.add(ReleaseJobs.eventSource(context));
    sources.add(PodWatch.eventSource(context));
    sources.add(ScheduleRuns.eventSource(context));
    return sources;
  }

  /** The processes' Deployments or StatefulSets (not the web's) in the informer caches. */
  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> List<R> processes(
      Context<DjangoApp> context, Class<R> kind) {
    return context.getSecondaryResourcesAsStream(kind)
        .filter(r -> r.getMetadata().getLabels() != null && r.getMetadata().getLabels()
            .containsKey(dev.operators.django.api.DjangoAppResources.PROCESS_LABEL))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<Job, DjangoApp> jobs(Context<DjangoApp> context) {
    return (InformerEventSource<Job, DjangoApp>) context.eventSourceRetriever()
        .getEventSourceFor(Job.class, ReleaseJobs.EVENT_SOURCE);
  }

  /** The createsuperuser Job for the current content of its Secret, if it was started. */
  private static Optional<Job> superuserJob(DjangoApp app, ObservedReferences refs,
      List<Job> jobs) {
    if (app.getSpec().superuser == null) {
      return Optional.empty();
    }
    return refs.fingerprint("Secret", app.getSpec().superuser.credentialsSecret)
        .map(fingerprint -> ReleaseJobs.superuserJobName(app, fingerprint))
        .flatMap(name -> jobs.stream().filter(j -> name.equals(j.getMetadata().getName()))
            .findFirst());
  }

  @Override
  public ErrorStatusUpdateControl<DjangoApp> updateErrorStatus(DjangoApp app,
      Context<DjangoApp> context, Exception e) {
    if (stopping) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    if (ChildFailures.isConflict(e)) {
      // Someone changed the app meanwhile; the event that follows reconciles the new version.
      log.debug("{}/{}: conflict, reconciling again", app.getMetadata().getNamespace(),
          app.getMetadata().getName());
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    log.warn("{}/{}: reconcile failed: {}", app.getMetadata().getNamespace(),
        app.getMetadata().getName(), ChildFailures.safeMessage(e));
    var status = app.getStatus() != null ? app.getStatus() : new DjangoAppStatus();
    var failed = StatusReporter.withReconcileError(app, status, ChildFailures.safeMessage(e), clock);
    return reporter.reportError(app, failed, context);
  }
}
