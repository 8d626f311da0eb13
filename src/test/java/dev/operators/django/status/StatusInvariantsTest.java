package dev.operators.django.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.api.IngressSpec;
import dev.operators.django.api.Problem;
import dev.operators.django.api.TlsSpec;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.release.ReleaseGate;
import dev.operators.django.testing.TestApps;
import dev.operators.django.tls.IssuerDecision;
import dev.operators.django.tls.IssuerDecision.Phase;
import dev.operators.django.tls.IssuerDecision.Stage;
import dev.operators.django.tls.TlsConfig;
import dev.operators.django.tls.TlsOutcome;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every combination of what the reconciler can observe yields a status that does not contradict
 * itself: an invariant sweep over the state space of {@link StatusAggregator}, as kstatus, Argo CD
 * and a person read the conditions.
 */
class StatusInvariantsTest {
  /** One value of one dimension of the sweep, with the name a failure message gives it. */
  record Row<T>(String name, T value) {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * The processes and schedules: whether the spec has them (a worker, a singleton beat and a
   * schedule), and their children in the caches.
   */
  record WorkerState(boolean inSpec, Workers workers) {}

  static <T> Row<T> row(String name, T value) {
    return new Row<>(name, value);
  }

  static final List<Row<Optional<Deployment>>> DEPLOYMENTS =
      List.of(
          row("no Deployment", Optional.empty()),
          row(
              "rolled out",
              Optional.of(StatusAggregatorTest.deployment(2, 2, 2, 2, 2, true, null))),
          row(
              "no pod ready",
              Optional.of(StatusAggregatorTest.deployment(2, 2, 2, 0, 2, false, null))),
          row(
              "pods updating",
              Optional.of(StatusAggregatorTest.deployment(3, 1, 3, 2, 2, true, null))),
          row(
              "spec not observed",
              Optional.of(StatusAggregatorTest.deployment(2, 2, 2, 2, 1, true, null))),
          row(
              "progress deadline exceeded",
              Optional.of(
                  StatusAggregatorTest.deployment(
                      2, 1, 3, 2, 2, true, "ProgressDeadlineExceeded"))));
  static final List<Row<ObservedReferences>> REFERENCES =
      List.of(
          row("references found", StatusAggregatorTest.FOUND),
          row("reference missing", StatusAggregatorTest.MISSING),
          row("reference invalid", StatusAggregatorTest.INVALID));
  static final List<Row<List<StatusAggregator.ChildFailure>>> FAILURES =
      List.of(
          row("no failure", List.of()),
          row("name conflict", List.of(StatusAggregatorTest.CONFLICT)),
          row(
              "Deployment refused",
              List.of(
                  new StatusAggregator.ChildFailure(
                      "Deployment",
                      "polls",
                      "ApplyFailed",
                      "Deployment polls could not be applied: invalid"))),
          row(
              "Job refused",
              List.of(
                  new StatusAggregator.ChildFailure(
                      "Job",
                      "polls",
                      "ApplyFailed",
                      "A Job of polls could not be created: invalid"))),
          row(
              "host conflict",
              List.of(
                  new StatusAggregator.ChildFailure(
                      "Ingress",
                      "polls",
                      "HostConflict",
                      "host polls.example.com is already served by DjangoApp a/polls"))),
          row(
              "annotation refused",
              List.of(
                  new StatusAggregator.ChildFailure(
                      "Ingress",
                      "polls",
                      "AnnotationRefused",
                      "spec.ingress.annotations x is refused"))));
  static final List<Row<Optional<ReleaseGate.Decision>>> RELEASES =
      List.of(
          row("no release gate", Optional.empty()),
          row(
              "migrated",
              Optional.of(
                  new ReleaseGate.Decision(
                      Optional.of("app:1"),
                      Set.of(),
                      true,
                      "Succeeded",
                      "Migrations succeeded for app:1.",
                      false,
                      false,
                      Optional.of("app:1"),
                      Optional.empty()))),
          row(
              "migrating",
              Optional.of(
                  new ReleaseGate.Decision(
                      Optional.empty(),
                      Set.of(),
                      false,
                      "Migrating",
                      "Running migrations for app:2.",
                      false,
                      false,
                      Optional.of("app:1"),
                      Optional.empty()))),
          row(
              "migration failed",
              Optional.of(
                  new ReleaseGate.Decision(
                      Optional.of("app:1"),
                      Set.of(),
                      false,
                      "MigrationFailed",
                      "Job polls-migrate-x failed.",
                      true,
                      false,
                      Optional.of("app:1"),
                      Optional.empty()))));
  static final List<Row<Optional<Problem>>> WORKLOADS =
      List.of(
          row("pods start", Optional.empty()),
          row(
              "image pull back-off",
              Optional.of(new Problem("ImagePullBackOff", "Pod polls-x: back-off"))));
  static final List<Row<Optional<IssuerDecision.Decision>>> TLS =
      List.of(
          row("no TLS", Optional.empty()),
          row(
              "cert-manager missing",
              Optional.of(
                  new IssuerDecision.Decision(
                      "staging",
                      Stage.Staging,
                      Phase.Unavailable,
                      false,
                      "CertManagerNotInstalled",
                      "cert-manager is not installed."))),
          row(
              "staging issuing",
              Optional.of(
                  new IssuerDecision.Decision(
                      "staging",
                      Stage.Staging,
                      Phase.Issuing,
                      false,
                      "Issuing",
                      "Waiting for cert-manager."))),
          row(
              "production ready",
              Optional.of(
                  new IssuerDecision.Decision(
                      "prod",
                      Stage.Production,
                      Phase.Ready,
                      false,
                      "Issued",
                      "The production certificate is Ready."))),
          row(
              "production failed",
              Optional.of(
                  new IssuerDecision.Decision(
                      "prod",
                      Stage.Production,
                      Phase.Failed,
                      false,
                      "IssuanceFailed",
                      "cert-manager could not issue."))));
  static final List<Row<AppUrl.Facts>> EXPOSURES =
      List.of(
          row("no Ingress", AppUrl.Facts.NONE),
          row("Ingress, no certificate", new AppUrl.Facts(true, false, false)),
          row("Ingress with certificate", new AppUrl.Facts(true, false, true)),
          row("host refused", new AppUrl.Facts(true, true, true)));
  static final List<Row<WorkerState>> WORKERS =
      List.of(
          row("no processes", new WorkerState(false, Workers.NONE)),
          row("processes not created", new WorkerState(true, Workers.NONE)),
          row(
              "processes running, schedule succeeded",
              new WorkerState(
                  true,
                  new Workers(
                      List.of(ProcessAvailabilityTest.worker(2, 2, true, 1, 1)),
                      List.of(ProcessAvailabilityTest.beat(1, "a", "a")),
                      List.of(),
                      List.of(),
                      List.of(
                          ScheduleRunsTest.job(
                              "polls-clearsessions-1", "2026-12-01T03:17:00Z", "Succeeded"))))),
          row(
              "worker short of a pod, schedule failed",
              new WorkerState(
                  true,
                  new Workers(
                      List.of(ProcessAvailabilityTest.worker(2, 1, true, 1, 1)),
                      List.of(ProcessAvailabilityTest.beat(1, "a", "a")),
                      List.of(),
                      List.of(),
                      List.of(
                          ScheduleRunsTest.job(
                              "polls-clearsessions-2", "2026-12-02T03:17:00Z", "Failed"))))),
          row(
              "worker down, beat being replaced",
              new WorkerState(
                  true,
                  Workers.processes(
                      List.of(ProcessAvailabilityTest.worker(2, 0, false, 1, 1)),
                      List.of(ProcessAvailabilityTest.beat(0, "a", "b")),
                      List.of()))));

  @Test
  void noObservedStateYieldsAContradictoryStatus() {
    var soft = new SoftAssertions();
    int states = 0;
    for (var deployment : DEPLOYMENTS) {
      for (var refs : REFERENCES) {
        for (var failures : FAILURES) {
          for (var release : RELEASES) {
            for (var workload : WORKLOADS) {
              for (var tls : TLS) {
                for (var exposure : EXPOSURES) {
                  for (var workers : WORKERS) {
                    var app = app(tls.value().isPresent(), workers.value().inSpec());
                    var observation =
                        new StatusAggregator.Facts(
                            app,
                            deployment.value().orElse(null),
                            refs.value(),
                            failures.value(),
                            tls.value().map(StatusInvariantsTest::outcome),
                            release.value(),
                            workload.value(),
                            exposure.value(),
                            workers.value().workers());
                    var status = StatusAggregator.aggregate(observation, StatusAggregatorTest.T0);
                    var state =
                        List.of(
                                deployment,
                                refs,
                                failures,
                                release,
                                workload,
                                tls,
                                exposure,
                                workers)
                            .toString();
                    check(soft, state, status, observation);
                    states++;
                  }
                }
              }
            }
          }
        }
      }
    }
    assertThat(states).isEqualTo(6 * 3 * 6 * 4 * 2 * 5 * 4 * 5);
    soft.assertAll();
  }

  static void check(
      SoftAssertions soft, String state, DjangoAppStatus status, StatusAggregator.Facts observed) {
    var ready = get(status, Conditions.READY);
    var stalled = get(status, Conditions.STALLED);
    var reconciling = get(status, Conditions.RECONCILING);
    var available = get(status, Conditions.AVAILABLE);
    var migrations = Conditions.find(status.conditions, Conditions.MIGRATIONS_APPLIED);
    if (isTrue(ready)) {
      soft.assertThat(isTrue(stalled)).as("Ready implies not Stalled: %s", state).isFalse();
      soft.assertThat(isTrue(reconciling)).as("Ready implies not Reconciling: %s", state).isFalse();
      soft.assertThat(isTrue(available)).as("Ready implies Available: %s", state).isTrue();
      soft.assertThat(ready.getMessage()).as("Ready names the URL: %s", state).contains(status.url);
    } else {
      soft.assertThat(ready.getReason()).as("not Ready, reason: %s", state).isNotEqualTo("Ready");
    }
    if (isTrue(stalled)) {
      soft.assertThat(isTrue(reconciling))
          .as("Stalled implies not Reconciling: %s", state)
          .isFalse();
      soft.assertThat(ready.getReason())
          .as("Ready carries the stall's reason: %s", state)
          .isEqualTo(stalled.getReason());
    } else {
      soft.assertThat(stalled.getReason()).as("not Stalled: %s", state).isEqualTo("NoProblems");
    }
    if (isTrue(reconciling)) {
      soft.assertThat(reconciling.getReason())
          .as("Reconciling reason: %s", state)
          .isIn("Migrating", "RollingOut");
    } else {
      soft.assertThat(reconciling.getReason())
          .as("Reconciling=False reason: %s", state)
          .isNotIn("Migrating", "RollingOut");
    }
    if ("DeploymentNotFound".equals(available.getReason())) {
      soft.assertThat(available.getMessage())
          .as("Available message: %s", state)
          .doesNotContain("minimum availability");
    }
    if ("Migrating".equals(ready.getReason())) {
      soft.assertThat(migrations).as("Migrating has a release: %s", state).isPresent();
      migrations.ifPresent(m -> soft.assertThat(m.getStatus()).isEqualTo("False"));
    }
    migrations
        .filter(m -> "True".equals(m.getStatus()))
        .ifPresent(
            m ->
                soft.assertThat(ready.getReason())
                    .as("migrated, not Migrating: %s", state)
                    .isNotEqualTo("Migrating"));
    if (!observed.references().complete()) {
      migrations.ifPresent(
          m ->
              soft.assertThat(m.getReason())
                  .as("no Job runs while a reference is missing: %s", state)
                  .isNotEqualTo("Migrating"));
    }
    if (observed.failures().stream().anyMatch(f -> "Job".equals(f.kind()))) {
      migrations.ifPresent(
          m ->
              soft.assertThat(m.getReason())
                  .as("no Job runs when it was refused: %s", state)
                  .isNotEqualTo("Migrating"));
    }
    // The processes' and schedules' invariants fail through soft.fail only when broken: an
    // assertThat per state and check would make this sweep, five times the states, slow.
    var processes = Conditions.find(status.conditions, ProcessAvailability.PROCESSES_AVAILABLE);
    var spec = observed.app().getSpec();
    boolean withProcesses = spec.processes != null && !spec.processes.isEmpty();
    if (processes.isPresent() != withProcesses) {
      soft.fail("ProcessesAvailable exactly with processes: %s", state);
    }
    if ((status.processSummary != null) != withProcesses) {
      soft.fail("a summary exactly with processes: %s", state);
    }
    if (withProcesses
        && (status.processes == null
            || !status.processes.stream()
                .map(p -> p.name)
                .toList()
                .equals(spec.processes.stream().map(p -> p.name).toList()))) {
      soft.fail("every process of the spec, in order: %s", state);
    }
    if (isTrue(ready)) {
      if (processes.isPresent() && !isTrue(processes.get())) {
        soft.fail("Ready implies ProcessesAvailable: %s", state);
      }
      if (status.processes != null
          && !status.processes.stream().allMatch(p -> p.readyReplicas >= p.replicas)) {
        soft.fail("Ready implies every process has its pods ready: %s", state);
      }
    }
    if ((status.schedules != null) != (spec.schedules != null && !spec.schedules.isEmpty())) {
      soft.fail("status.schedules exactly with schedules: %s", state);
    }
    if (status.schedules != null
        && status.schedules.stream().anyMatch(s -> "Failed".equals(s.lastResult))) {
      if (status.schedules.stream()
          .anyMatch(
              s ->
                  "Failed".equals(s.lastResult)
                      && (s.lastFailureMessage == null || s.lastFailureMessage.isBlank()))) {
        soft.fail("a failed run says why: %s", state);
      }
      var w = observed.workers();
      var withoutRuns =
          StatusAggregator.aggregate(
              observed.withWorkers(
                  new Workers(
                      w.deployments(), w.statefulSets(), w.pods(), w.cronJobs(), List.of())),
              StatusAggregatorTest.T0);
      if (!get(withoutRuns, Conditions.READY).equals(ready)) {
        soft.fail("a schedule's runs do not change Ready: %s", state);
      }
    }
    if (status.url.startsWith("https://")) {
      soft.assertThat(
              observed.exposure().certificateServes() && observed.exposure().ingressServes())
          .as("https only with an Ingress and a certificate: %s", state)
          .isTrue();
      soft.assertThat(observed.tls().map(t -> t.decision().phase() != Phase.Unavailable))
          .as("https not without cert-manager: %s", state)
          .contains(true);
    }
    if (!observed.exposure().ingressServes()) {
      soft.assertThat(status.url)
          .as("no Ingress, the in-cluster URL: %s", state)
          .startsWith("http://polls.");
    }
  }

  static DjangoApp app(boolean tls, boolean workers) {
    var app = workers ? ProcessAvailabilityTest.app() : TestApps.polls();
    if (workers) {
      app.getSpec().schedules = ScheduleRunsTest.app().getSpec().schedules;
    }
    if (app.getSpec().ingress == null) {
      app.getSpec().ingress = new IngressSpec();
      app.getSpec().ingress.host = "polls.example.com";
    }
    app.getSpec().ingress.tls = tls ? new TlsSpec() : null;
    return app;
  }

  static TlsOutcome outcome(IssuerDecision.Decision decision) {
    return new TlsOutcome(
        new TlsConfig("ClusterIssuer", "staging", "prod", false, false),
        decision,
        Optional.empty(),
        false);
  }

  static Condition get(DjangoAppStatus status, String type) {
    return Conditions.find(status.conditions, type)
        .orElseThrow(() -> new AssertionError("no " + type + " condition in " + status.conditions));
  }

  static boolean isTrue(Condition condition) {
    return "True".equals(condition.getStatus());
  }
}
