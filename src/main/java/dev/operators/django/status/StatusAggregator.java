package dev.operators.django.status;

import static dev.operators.django.status.Conditions.AVAILABLE;
import static dev.operators.django.status.Conditions.READY;
import static dev.operators.django.status.Conditions.RECONCILING;
import static dev.operators.django.status.Conditions.STALLED;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.api.Problem;
import dev.operators.django.api.TlsStatus;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.release.ReleaseGate;
import dev.operators.django.tls.TlsOutcome;
import dev.operators.django.workload.ContainerEnvironment;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place the DjangoApp's status is built: one observation in, the whole status out, and
 * nothing edits it afterwards. A pure function, tested as a table ({@code StatusAggregatorTest})
 * and swept for contradictions ({@code StatusInvariantsTest}). Each condition is one function of
 * {@link StatusConditions}, stamped here with the previous conditions, the generation and the
 * clock; each field is one line below.
 */
public final class StatusAggregator {

  /** A child that could not be applied. The message names the object, never secret data. */
  public record ChildFailure(String kind, String name, String reason, String message) {}

  /**
   * What the reconciler saw.
   *
   * @param deployment the web Deployment from the informer cache, or null
   * @param failures children the workflow could not apply, then what the platform's rules refuse
   * @param tls the certificate's state and the issuer decision; empty without TLS
   * @param release the release gate's decision; empty in tests of the web alone
   * @param workload why the app's pods cannot start, if they cannot
   * @param exposure what the URL depends on
   * @param workers the processes' and schedules' children
   */
  public record Facts(
      DjangoApp app,
      Deployment deployment,
      ObservedReferences references,
      List<ChildFailure> failures,
      Optional<TlsOutcome> tls,
      Optional<ReleaseGate.Decision> release,
      Optional<Problem> workload,
      AppUrl.Facts exposure,
      Workers workers) {

    public Facts(
        DjangoApp app,
        Deployment deployment,
        ObservedReferences references,
        List<ChildFailure> failures) {
      this(
          app,
          deployment,
          references,
          failures,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          AppUrl.Facts.NONE,
          Workers.NONE);
    }

    /** The same observation with the app's pods' failure, if any. */
    public Facts withWorkload(Optional<Problem> failure) {
      return new Facts(
          app, deployment, references, failures, tls, release, failure, exposure, workers);
    }

    /** The same observation with what the URL depends on. */
    public Facts withExposure(AppUrl.Facts facts) {
      return new Facts(
          app, deployment, references, failures, tls, release, workload, facts, workers);
    }

    /** The same observation with the processes' and schedules' children. */
    public Facts withWorkers(Workers children) {
      return new Facts(
          app, deployment, references, failures, tls, release, workload, exposure, children);
    }
  }

  private StatusAggregator() {}

  public static DjangoAppStatus aggregate(Facts observed, Clock clock) {
    var app = observed.app();
    var deployment = observed.deployment();
    var reading = StatusConditions.Reading.of(observed);
    var status = new DjangoAppStatus();
    status.observedGeneration = Optional.ofNullable(app.getMetadata().getGeneration()).orElse(0L);
    status.selector = DjangoAppResources.selectorString(app);
    status.url = AppUrl.of(app, observed.exposure(), observed.tls().map(TlsOutcome::decision));
    status.tls = observed.tls().map(tls -> tlsStatus(app, tls)).orElse(null);
    status.environment =
        observed.references().complete()
            ? ContainerEnvironment.of(app, observed.references()).status()
            : null;
    status.replicas = replicas(deployment, false);
    status.readyReplicas = replicas(deployment, true);
    status.image = deployment == null ? null : image(deployment);
    status.migratedImage =
        observed.release().flatMap(ReleaseGate.Decision::migratedImage).orElse(null);
    status.processes = ProcessAvailability.statuses(reading.processes());
    status.processSummary = ProcessAvailability.summary(reading.processes());
    var workers = observed.workers();
    status.schedules = ScheduleRuns.of(app, workers.cronJobs(), workers.scheduleJobs());

    var stamp =
        new Conditions.Stamp(
            app.getStatus() == null ? List.of() : app.getStatus().conditions,
            status.observedGeneration,
            clock);
    var conditions = new ArrayList<Condition>();
    conditions.add(
        stamp.of(
            READY,
            StatusConditions.ready(
                reading, status.url, AppUrl.handover(app, observed.exposure()))));
    conditions.add(stamp.of(STALLED, StatusConditions.stalled(reading)));
    conditions.add(
        stamp.of(
            AVAILABLE,
            StatusConditions.available(
                reading, deployment, status.readyReplicas, status.replicas)));
    conditions.add(stamp.of(RECONCILING, StatusConditions.reconciling(reading)));
    StatusConditions.migrationsApplied(observed)
        .ifPresent(v -> conditions.add(stamp.of(Conditions.MIGRATIONS_APPLIED, v)));
    StatusConditions.superuserCreated(observed)
        .ifPresent(v -> conditions.add(stamp.of(Conditions.SUPERUSER_CREATED, v)));
    StatusConditions.certificateReady(observed)
        .ifPresent(v -> conditions.add(stamp.of(Conditions.CERTIFICATE_READY, v)));
    ProcessAvailability.available(reading.processes())
        .ifPresent(v -> conditions.add(stamp.of(ProcessAvailability.PROCESSES_AVAILABLE, v)));
    status.conditions = conditions;
    return status;
  }

  /** The web Deployment's (ready) replicas; 0 before it or its status exists. */
  private static int replicas(Deployment deployment, boolean ready) {
    if (deployment == null || deployment.getStatus() == null) {
      return 0;
    }
    var status = deployment.getStatus();
    return Objects.requireNonNullElse(ready ? status.getReadyReplicas() : status.getReplicas(), 0);
  }

  private static String image(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static TlsStatus tlsStatus(DjangoApp app, TlsOutcome outcome) {
    var decision = outcome.decision();
    var tls = new TlsStatus();
    tls.stage = decision.stage().name();
    tls.phase = decision.phase().name();
    tls.issuer = decision.issuer();
    tls.certificateName = DjangoAppResources.tlsSecret(app);
    tls.notAfter = outcome.notAfter().orElse(null);
    return tls;
  }
}
