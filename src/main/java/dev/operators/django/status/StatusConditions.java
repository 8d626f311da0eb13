package dev.operators.django.status;

import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.Problem;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.release.ReleaseGate;
import dev.operators.django.status.Conditions.Verdict;
import dev.operators.django.status.StatusAggregator.ChildFailure;
import dev.operators.django.status.StatusAggregator.Facts;
import dev.operators.django.tls.TlsOutcome;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.util.List;
import java.util.Optional;

/**
 * One pure function per condition of the status, each from the observation and what {@link Reading}
 * derived from it once. {@link StatusAggregator} stamps them.
 *
 * <p>Conditions follow kstatus: {@code Ready} summarises; {@code Available} mirrors the Deployment;
 * {@code Reconciling} is True while a rollout is in progress; {@code Stalled} is True when progress
 * needs a person (a missing Secret, a name conflict, a failed apply, a rollout past its progress
 * deadline). With TLS, {@code CertificateReady} reports the certificate; it does not hold Ready
 * back, since the app serves while certificates are issued.
 */
final class StatusConditions {
  private StatusConditions() {}

  /**
   * What several conditions read, derived once from the observation.
   *
   * @param stalled what needs a person, if anything
   * @param available the Deployment's Available condition when it is True
   * @param rollout what the web's rollout (or the migrations before it) waits for; empty: done
   * @param migrating the release gate holds the new image back while migrations run
   * @param processes the processes, observed
   */
  record Reading(
      Optional<Problem> stalled,
      Optional<DeploymentCondition> available,
      Optional<String> rollout,
      boolean migrating,
      List<ProcessAvailability.ProcessFacts> processes) {

    static Reading of(Facts observed) {
      var deployment = observed.deployment();
      var migrating = observed.release().filter(r -> !r.released() && !r.failed()).isPresent();
      return new Reading(
          whatStalls(observed),
          WebDeployment.condition(deployment, "Available")
              .filter(c -> "True".equals(c.getStatus())),
          observed
              .release()
              .filter(r -> !r.released() && !r.failed())
              .map(ReleaseGate.Decision::message)
              .or(() -> WebDeployment.rolloutInProgress(deployment)),
          migrating,
          ProcessAvailability.of(observed.app(), observed.workers()));
    }

    String rolloutReason() {
      return migrating ? "Migrating" : "RollingOut";
    }
  }

  /**
   * The summary: the stall, else the rollout, else the web's availability, else the processes (a
   * process that is not running holds Ready back), else Ready at the URL, with what completes a
   * move from another Ingress ({@link AppUrl#handover}).
   */
  static Verdict ready(Reading reading, String url, String handover) {
    if (reading.stalled().isPresent()) {
      return Verdict.of(false, reading.stalled().get());
    }
    if (reading.rollout().isPresent()) {
      return new Verdict(false, reading.rolloutReason(), reading.rollout().get());
    }
    if (reading.available().isEmpty()) {
      return new Verdict(false, "Unavailable", "Waiting for the pods to become ready.");
    }
    return ProcessAvailability.holdReadyBack(reading.processes())
        .map(problem -> Verdict.of(false, problem))
        .orElseGet(
            () -> new Verdict(true, "Ready", "The app is serving at " + url + "." + handover));
  }

  static Verdict stalled(Reading reading) {
    return reading
        .stalled()
        .map(problem -> Verdict.of(true, problem))
        .orElseGet(() -> new Verdict(false, "NoProblems", "Nothing blocks reconciliation."));
  }

  static Verdict available(Reading reading, Deployment deployment, int ready, int replicas) {
    if (reading.available().isPresent()) {
      return new Verdict(
          true, reading.available().get().getReason(), ready + " of " + replicas + " pods ready.");
    }
    if (deployment == null) {
      return new Verdict(false, "DeploymentNotFound", "The Deployment does not exist yet.");
    }
    return new Verdict(
        false,
        WebDeployment.condition(deployment, "Available")
            .map(DeploymentCondition::getReason)
            .orElse("DeploymentNotAvailable"),
        "The Deployment does not have minimum availability yet.");
  }

  /** Stalled: nothing progresses until a person acts, so not Reconciling, whatever is pending. */
  static Verdict reconciling(Reading reading) {
    if (reading.stalled().isPresent()) {
      return new Verdict(
          false,
          "Stalled",
          "Nothing progresses until the problem in the Stalled condition is fixed.");
    }
    return reading
        .rollout()
        .map(pending -> new Verdict(true, reading.rolloutReason(), pending))
        .orElseGet(
            () -> new Verdict(false, "Complete", "The Deployment runs the desired pod template."));
  }

  /** MigrationsApplied, with the release gate; empty without one (tests of the web alone). */
  static Optional<Verdict> migrationsApplied(Facts observed) {
    var jobRefused = observed.failures().stream().anyMatch(f -> "Job".equals(f.kind()));
    return observed
        .release()
        .map(
            r -> {
              boolean pending = !r.released() && !r.failed();
              if (pending && !observed.references().complete()) {
                // No Job starts while a referenced Secret or ConfigMap is missing.
                return new Verdict(
                    false,
                    "WaitingForReferences",
                    "Migrations start once the app's referenced Secrets and ConfigMaps are"
                        + " usable.");
              }
              if (pending && jobRefused) {
                return new Verdict(
                    false,
                    "JobNotCreated",
                    "The API server refused the migrations' Job (see Stalled); nothing runs until"
                        + " the spec is fixed.");
              }
              return new Verdict(r.released(), r.reason(), r.message());
            });
  }

  static Optional<Verdict> superuserCreated(Facts observed) {
    return observed
        .release()
        .flatMap(ReleaseGate.Decision::superuserJob)
        .map(
            job ->
                switch (job.outcome()) {
                  case SUCCEEDED ->
                      new Verdict(
                          true,
                          "Created",
                          "Job " + job.name() + " created the superuser, or found it.");
                  case RUNNING ->
                      new Verdict(
                          false, "Running", "Job " + job.name() + " is creating the superuser.");
                  case FAILED ->
                      new Verdict(
                          false,
                          "JobFailed",
                          "Job "
                              + job.name()
                              + " failed ("
                              + job.reason()
                              + ": "
                              + job.message()
                              + "). See kubectl logs job/"
                              + job.name()
                              + ".");
                });
  }

  static Optional<Verdict> certificateReady(Facts observed) {
    return observed
        .tls()
        .map(TlsOutcome::decision)
        .map(tls -> new Verdict(tls.certificateReady(), tls.reason(), tls.message()));
  }

  /** The first thing that needs a person, in the order a person would fix them. */
  static Optional<Problem> whatStalls(Facts observed) {
    var problems = observed.references().problems();
    if (!problems.isEmpty()) {
      var notFound =
          problems.stream()
              .anyMatch(p -> ObservedReferences.Reason.ReferenceNotFound.name().equals(p.reason()));
      return Optional.of(
          new Problem(
              notFound ? "ReferenceNotFound" : "ReferenceInvalid",
              String.join("; ", problems.stream().map(Problem::message).toList())
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
    return WebDeployment.condition(observed.deployment(), "Progressing")
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
}
