package dev.operators.django.reconciler;

import dev.operators.django.api.DjangoApp;
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
import dev.operators.django.hosts.IngressClassWatch;
import dev.operators.django.kube.PrunedItemStore;
import dev.operators.django.references.ReferenceWatch;
import dev.operators.django.release.JobRunner;
import dev.operators.django.status.ChildFailures;
import dev.operators.django.status.StatusAggregator;
import dev.operators.django.status.StatusAggregator.ChildFailure;
import dev.operators.django.status.StatusReporter;
import dev.operators.django.tls.CertificateWatch;
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
  private final ReferenceWatch references = new ReferenceWatch();
  private final Clock clock;
  private final StatusReporter reporter;
  private final CertificateWatch certificates;
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
    var observed = AppFacts.of(app, context, settings, references, certificates);
    var plan =
        Plan.of(
            app,
            observed,
            HostWatch.of(context).decide(app),
            IngressClassWatch.of(context).classes(),
            settings);
    var failures = act(app, context, observed, plan);
    if (stopping) {
      return UpdateControl.noUpdate();
    }
    var status =
        StatusAggregator.aggregate(StatusInputs.of(app, context, observed, plan, failures), clock);
    return reporter.report(app, status, observed.tls(), failures, context);
  }

  /**
   * Starts the gate's Jobs and applies every child, unless a reference is missing: then the
   * children are left as they are. Returns what could not be written, then what the platform's
   * rules refuse.
   */
  private List<ChildFailure> act(
      DjangoApp app, Context<DjangoApp> context, AppFacts observed, Plan plan) {
    if (!observed.references().complete()) {
      log.debug(
          "{}/{}: references incomplete, children left as they are",
          app.getMetadata().getNamespace(),
          app.getMetadata().getName());
      return plan.refusals();
    }
    var refusedJobs =
        JobStarts.run(
            app,
            () ->
                JobRunner.apply(
                    context.getClient(),
                    app,
                    observed.references(),
                    plan.release(),
                    observed.jobs()));
    new AppInputs(
            settings,
            observed.references(),
            observed.tls(),
            plan.release().webImage(),
            plan.hosts())
        .putInto(context);
    var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    var failures = new ArrayList<>(refusedJobs);
    failures.addAll(ChildFailures.from(app, result.getErroredDependents()));
    failures.addAll(plan.refusals());
    return List.copyOf(failures);
  }

  @Override
  public List<EventSource<?, DjangoApp>> prepareEventSources(
      EventSourceContext<DjangoApp> context) {
    return Watches.of(context, settings, references, certificates);
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
