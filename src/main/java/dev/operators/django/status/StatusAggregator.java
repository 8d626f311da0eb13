package dev.operators.django.status;

import static dev.operators.django.status.Conditions.AVAILABLE;
import static dev.operators.django.status.Conditions.READY;
import static dev.operators.django.status.Conditions.RECONCILING;
import static dev.operators.django.status.Conditions.STALLED;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.api.TlsStatus;
import dev.operators.django.dependent.ContainerEnvironment;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.release.ReleaseGate;
import dev.operators.django.tls.TlsOutcome;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns what was observed into the DjangoApp's status: a pure function, tested as a table.
 *
 * <p>Conditions follow kstatus: {@code Ready} summarises; {@code Available} mirrors the Deployment;
 * {@code Reconciling} is True while a rollout is in progress; {@code Stalled} is True when progress
 * needs a person (a missing Secret, a name conflict, a failed apply, a rollout past its progress
 * deadline). With TLS, {@code CertificateReady} reports the certificate; it does not hold Ready
 * back, since the app serves while certificates are issued.
 */
public final class StatusAggregator {

  /** A child that could not be applied. The message names the object, never secret data. */
  public record ChildFailure(String kind, String name, String reason, String message) {}

  /**
   * What the reconciler saw.
   *
   * @param deployment the web Deployment from the informer cache, or null
   * @param failures children the workflow could not apply
   * @param tls the certificate's state and the issuer decision; empty without TLS
   * @param release the release gate's decision; empty in tests of the web alone
   * @param workload why the app's pods cannot start, if they cannot
   */
  public record Observation(
      DjangoApp app,
      Deployment deployment,
      ObservedReferences references,
      List<ChildFailure> failures,
      Optional<TlsOutcome> tls,
      Optional<ReleaseGate.Decision> release,
      Optional<WorkloadFailures.Failure> workload,
      AppUrl.Facts exposure) {

    public Observation(
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
          AppUrl.Facts.NONE);
    }

    /** The same observation with the app's pods' failure, if any. */
    public Observation withWorkload(Optional<WorkloadFailures.Failure> failure) {
      return new Observation(
          app, deployment, references, failures, tls, release, failure, exposure);
    }

    /** The same observation with what the URL depends on. */
    public Observation withExposure(AppUrl.Facts facts) {
      return new Observation(app, deployment, references, failures, tls, release, workload, facts);
    }
  }

  private StatusAggregator() {}

  public static DjangoAppStatus aggregate(Observation observed, Clock clock) {
    var app = observed.app();
    long generation = Optional.ofNullable(app.getMetadata().getGeneration()).orElse(0L);
    var previous = app.getStatus() == null ? List.<Condition>of() : app.getStatus().conditions;
    var status = new DjangoAppStatus();
    status.observedGeneration = generation;
    status.selector = DjangoAppResources.selectorString(app);
    status.url = AppUrl.of(app, observed.exposure(), observed.tls().map(TlsOutcome::decision));
    status.tls = observed.tls().map(tls -> tlsStatus(app, tls)).orElse(null);
    if (observed.references().complete()) {
      status.environment = ContainerEnvironment.of(app, observed.references()).status();
    }

    var deployment = observed.deployment();
    if (deployment != null && deployment.getStatus() != null) {
      status.replicas = Objects.requireNonNullElse(deployment.getStatus().getReplicas(), 0);
      status.readyReplicas =
          Objects.requireNonNullElse(deployment.getStatus().getReadyReplicas(), 0);
    } else {
      status.replicas = 0;
      status.readyReplicas = 0;
    }
    if (deployment != null) {
      status.image = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    var release = observed.release();
    status.migratedImage = release.flatMap(ReleaseGate.Decision::migratedImage).orElse(null);
    var stalled = stalledReason(observed, deployment);
    var available =
        deploymentCondition(deployment, "Available").filter(c -> "True".equals(c.getStatus()));
    var rollout =
        release
            .filter(r -> !r.released() && !r.failed())
            .map(ReleaseGate.Decision::message)
            .or(() -> rolloutInProgress(deployment));

    var conditions = new ArrayList<Condition>();
    conditions.add(
        Conditions.of(
            previous,
            STALLED,
            stalled.isPresent(),
            stalled.map(Problem::reason).orElse("NoProblems"),
            stalled.map(Problem::message).orElse("Nothing blocks reconciliation."),
            generation,
            clock));
    conditions.add(
        Conditions.of(
            previous,
            AVAILABLE,
            available.isPresent(),
            available
                .map(DeploymentCondition::getReason)
                .orElseGet(
                    () ->
                        deployment == null
                            ? "DeploymentNotFound"
                            : deploymentCondition(deployment, "Available")
                                .map(DeploymentCondition::getReason)
                                .orElse("DeploymentNotAvailable")),
            available.isPresent()
                ? status.readyReplicas + " of " + status.replicas + " pods ready."
                : deployment == null
                    ? "The Deployment does not exist yet."
                    : "The Deployment does not have minimum availability yet.",
            generation,
            clock));
    var rolloutReason =
        release.filter(r -> !r.released() && !r.failed()).isPresent() ? "Migrating" : "RollingOut";
    // Stalled: nothing progresses until a person acts, so not Reconciling, whatever is pending.
    conditions.add(
        stalled.isPresent()
            ? Conditions.of(
                previous,
                RECONCILING,
                false,
                "Stalled",
                "Nothing progresses until the problem in the Stalled condition is fixed.",
                generation,
                clock)
            : Conditions.of(
                previous,
                RECONCILING,
                rollout.isPresent(),
                rollout.isPresent() ? rolloutReason : "Complete",
                rollout.orElse("The Deployment runs the desired pod template."),
                generation,
                clock));

    boolean ready = stalled.isEmpty() && available.isPresent() && rollout.isEmpty();
    String reason;
    String message;
    if (stalled.isPresent()) {
      reason = stalled.get().reason();
      message = stalled.get().message();
    } else if (rollout.isPresent()) {
      reason = rolloutReason;
      message = rollout.get();
    } else if (available.isEmpty()) {
      reason = "Unavailable";
      message = "Waiting for the pods to become ready.";
    } else {
      reason = "Ready";
      message =
          "The app is serving at "
              + status.url
              + "."
              + AppUrl.handover(observed.app(), observed.exposure());
    }
    conditions.add(0, Conditions.of(previous, READY, ready, reason, message, generation, clock));
    var jobRefused = observed.failures().stream().anyMatch(f -> "Job".equals(f.kind()));
    release.ifPresent(
        r ->
            conditions.add(
                !r.released() && !r.failed() && !observed.references().complete()
                    // No Job starts while a referenced Secret or ConfigMap is missing.
                    ? Conditions.of(
                        previous,
                        Conditions.MIGRATIONS_APPLIED,
                        false,
                        "WaitingForReferences",
                        "Migrations start once the app's referenced Secrets and ConfigMaps are usable.",
                        generation,
                        clock)
                    : !r.released() && !r.failed() && jobRefused
                        ? Conditions.of(
                            previous,
                            Conditions.MIGRATIONS_APPLIED,
                            false,
                            "JobNotCreated",
                            "The API server refused the migrations' Job (see Stalled); nothing runs until the"
                                + " spec is fixed.",
                            generation,
                            clock)
                        : Conditions.of(
                            previous,
                            Conditions.MIGRATIONS_APPLIED,
                            r.released(),
                            r.reason(),
                            r.message(),
                            generation,
                            clock)));
    release
        .flatMap(ReleaseGate.Decision::superuserJob)
        .ifPresent(
            job ->
                conditions.add(
                    Conditions.of(
                        previous,
                        Conditions.SUPERUSER_CREATED,
                        job.outcome() == ReleaseGate.Outcome.SUCCEEDED,
                        switch (job.outcome()) {
                          case SUCCEEDED -> "Created";
                          case RUNNING -> "Running";
                          case FAILED -> "JobFailed";
                        },
                        switch (job.outcome()) {
                          case SUCCEEDED ->
                              "Job " + job.name() + " created the superuser, or found it.";
                          case RUNNING -> "Job " + job.name() + " is creating the superuser.";
                          case FAILED ->
                              "Job "
                                  + job.name()
                                  + " failed ("
                                  + job.reason()
                                  + ": "
                                  + job.message()
                                  + "). See kubectl logs job/"
                                  + job.name()
                                  + ".";
                        },
                        generation,
                        clock)));
    observed
        .tls()
        .map(TlsOutcome::decision)
        .ifPresent(
            tls ->
                conditions.add(
                    Conditions.of(
                        previous,
                        Conditions.CERTIFICATE_READY,
                        tls.certificateReady(),
                        tls.reason(),
                        tls.message(),
                        generation,
                        clock)));
    status.conditions = conditions;
    return status;
  }

  record Problem(String reason, String message) {}

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

  private static Optional<Problem> stalledReason(Observation observed, Deployment deployment) {
    var problems = observed.references().problems();
    if (!problems.isEmpty()) {
      var notFound =
          problems.stream()
              .anyMatch(p -> p.reason() == ObservedReferences.Reason.ReferenceNotFound);
      return Optional.of(
          new Problem(
              notFound ? "ReferenceNotFound" : "ReferenceInvalid",
              String.join("; ", problems.stream().map(ObservedReferences.Problem::message).toList())
                  + (notFound
                      ? ". The app's resources are left as they are until it exists."
                      : ". The app's resources are left as they are until it is fixed.")));
    }
    var failedRelease = observed.release().filter(ReleaseGate.Decision::failed);
    if (failedRelease.isPresent()) {
      return Optional.of(new Problem("MigrationFailed", failedRelease.get().message()));
    }
    if (!observed.failures().isEmpty()) {
      var first = observed.failures().get(0);
      var messages = observed.failures().stream().map(ChildFailure::message).toList();
      return Optional.of(new Problem(first.reason(), String.join("; ", messages)));
    }
    if (observed.workload().isPresent()) {
      var failure = observed.workload().get();
      return Optional.of(
          new Problem(
              failure.reason(),
              failure.message()
                  + ". Fix the image or the settings in the spec; kubectl describe shows the details."));
    }
    return deploymentCondition(deployment, "Progressing")
        .filter(c -> "ProgressDeadlineExceeded".equals(c.getReason()))
        .map(
            c ->
                new Problem(
                    "ProgressDeadlineExceeded",
                    "The rollout made no progress: "
                        + c.getMessage()
                        + " Check the pods with kubectl describe pods -l "
                        + DjangoAppResources.selectorString(observed.app())
                        + "."));
  }

  /** Empty when the Deployment runs its current template everywhere; else what is pending. */
  static Optional<String> rolloutInProgress(Deployment deployment) {
    if (deployment == null) {
      return Optional.of("The Deployment has not been created yet.");
    }
    var status = deployment.getStatus();
    if (status == null
        || status.getObservedGeneration() == null
        || status.getObservedGeneration() < deployment.getMetadata().getGeneration()) {
      return Optional.of("The Deployment controller has not observed the latest spec yet.");
    }
    int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
    int updated = Objects.requireNonNullElse(status.getUpdatedReplicas(), 0);
    int total = Objects.requireNonNullElse(status.getReplicas(), 0);
    int availableReplicas = Objects.requireNonNullElse(status.getAvailableReplicas(), 0);
    if (updated < desired) {
      return Optional.of(updated + " of " + desired + " pods updated.");
    }
    if (total > updated) {
      return Optional.of((total - updated) + " old pods pending termination.");
    }
    if (availableReplicas < updated) {
      return Optional.of(availableReplicas + " of " + updated + " updated pods available.");
    }
    return Optional.empty();
  }

  private static Optional<DeploymentCondition> deploymentCondition(
      Deployment deployment, String type) {
    if (deployment == null
        || deployment.getStatus() == null
        || deployment.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return deployment.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }
}
