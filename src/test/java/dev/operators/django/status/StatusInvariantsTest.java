package dev.operators.django.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.api.IngressSpec;
import dev.operators.django.api.TlsSpec;
import dev.operators.django.dependent.TestApps;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.release.ReleaseGate;
import dev.operators.django.tls.IssuerDecision;
import dev.operators.django.tls.IssuerDecision.Phase;
import dev.operators.django.tls.IssuerDecision.Stage;
import dev.operators.django.tls.TlsConfig;
import dev.operators.django.tls.TlsOutcome;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Arrays;
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
  static final List<Optional<Deployment>> DEPLOYMENTS =
      List.of(
          Optional.empty(),
          Optional.of(StatusAggregatorTest.deployment(2, 2, 2, 2, 2, true, null)),
          Optional.of(StatusAggregatorTest.deployment(2, 2, 2, 0, 2, false, null)),
          Optional.of(StatusAggregatorTest.deployment(3, 1, 3, 2, 2, true, null)),
          Optional.of(StatusAggregatorTest.deployment(2, 2, 2, 2, 1, true, null)),
          Optional.of(
              StatusAggregatorTest.deployment(2, 1, 3, 2, 2, true, "ProgressDeadlineExceeded")));
  static final List<ObservedReferences> REFERENCES =
      List.of(
          StatusAggregatorTest.FOUND, StatusAggregatorTest.MISSING, StatusAggregatorTest.INVALID);
  static final List<List<StatusAggregator.ChildFailure>> FAILURES =
      List.of(
          List.of(),
          List.of(StatusAggregatorTest.CONFLICT),
          List.of(
              new StatusAggregator.ChildFailure(
                  "Deployment",
                  "polls",
                  "ApplyFailed",
                  "Deployment polls could not be applied: invalid")),
          List.of(
              new StatusAggregator.ChildFailure(
                  "Job", "polls", "ApplyFailed", "A Job of polls could not be created: invalid")),
          List.of(
              new StatusAggregator.ChildFailure(
                  "Ingress",
                  "polls",
                  "HostConflict",
                  "host polls.example.com is already served by DjangoApp a/polls")),
          List.of(
              new StatusAggregator.ChildFailure(
                  "Ingress",
                  "polls",
                  "AnnotationRefused",
                  "spec.ingress.annotations x is refused")));
  static final List<Optional<ReleaseGate.Decision>> RELEASES =
      List.of(
          Optional.empty(),
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
                  Optional.empty())),
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
                  Optional.empty())),
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
                  Optional.empty())));
  static final List<Optional<WorkloadFailures.Failure>> WORKLOADS =
      List.of(
          Optional.empty(),
          Optional.of(new WorkloadFailures.Failure("ImagePullBackOff", "Pod polls-x: back-off")));
  static final List<Optional<IssuerDecision.Decision>> TLS =
      List.of(
          Optional.empty(),
          Optional.of(
              new IssuerDecision.Decision(
                  "staging",
                  Stage.Staging,
                  Phase.Unavailable,
                  false,
                  "CertManagerNotInstalled",
                  "cert-manager is not installed.")),
          Optional.of(
              new IssuerDecision.Decision(
                  "staging",
                  Stage.Staging,
                  Phase.Issuing,
                  false,
                  "Issuing",
                  "Waiting for cert-manager.")),
          Optional.of(
              new IssuerDecision.Decision(
                  "prod",
                  Stage.Production,
                  Phase.Ready,
                  false,
                  "Issued",
                  "The production certificate is Ready.")),
          Optional.of(
              new IssuerDecision.Decision(
                  "prod",
                  Stage.Production,
                  Phase.Failed,
                  false,
                  "IssuanceFailed",
                  "cert-manager could not issue.")));
  static final List<AppUrl.Facts> EXPOSURES =
      List.of(
          AppUrl.Facts.NONE,
          new AppUrl.Facts(true, false, false),
          new AppUrl.Facts(true, false, true),
          new AppUrl.Facts(true, true, true));

  @Test
  void noObservedStateYieldsAContradictoryStatus() {
    var soft = new SoftAssertions();
    var withTls = app(true);
    var withoutTls = app(false);
    int states = 0;
    for (var deployment : DEPLOYMENTS) {
      for (var refs : REFERENCES) {
        for (var failures : FAILURES) {
          for (var release : RELEASES) {
            for (var workload : WORKLOADS) {
              for (var tls : TLS) {
                for (var exposure : EXPOSURES) {
                  var app = tls.isPresent() ? withTls : withoutTls;
                  var observation =
                      new StatusAggregator.Observation(
                          app,
                          deployment.orElse(null),
                          refs,
                          failures,
                          tls.map(StatusInvariantsTest::outcome),
                          release,
                          workload,
                          exposure);
                  var status = StatusAggregator.aggregate(observation, StatusAggregatorTest.T0);
                  var state =
                      Arrays.asList(
                              deployment.map(d -> "deployment").orElse("none"),
                              refs.complete(),
                              failures,
                              release.map(ReleaseGate.Decision::reason),
                              workload,
                              tls.map(IssuerDecision.Decision::reason),
                              exposure)
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
    assertThat(states).isEqualTo(6 * 3 * 6 * 4 * 2 * 5 * 4);
    soft.assertAll();
  }

  static void check(
      SoftAssertions soft,
      String state,
      DjangoAppStatus status,
      StatusAggregator.Observation observed) {
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

  static DjangoApp app(boolean tls) {
    var app = TestApps.polls();
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
