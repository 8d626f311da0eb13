package dev.operators.django.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.Problem;
import dev.operators.django.references.ObservedReferences;
import dev.operators.django.release.ReleaseGate;
import dev.operators.django.testing.TestApps;
import dev.operators.django.tls.IssuerDecision;
import dev.operators.django.tls.TlsConfig;
import dev.operators.django.tls.TlsOutcome;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatusAggregatorTest {
  static final Clock T0 = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
  static final Clock T1 = Clock.fixed(Instant.parse("2026-11-22T10:05:00Z"), ZoneOffset.UTC);
  static final ObservedReferences FOUND =
      new ObservedReferences(new TreeMap<>(Map.of("Secret/polls-db", "1")), List.of());
  static final ObservedReferences MISSING =
      new ObservedReferences(
          new TreeMap<>(),
          List.of(
              new Problem(
                  ObservedReferences.Reason.ReferenceNotFound.name(),
                  "Secret polls-db (spec.database.credentialsSecret) not found")));
  static final ObservedReferences INVALID =
      new ObservedReferences(
          new TreeMap<>(),
          List.of(
              new Problem(
                  ObservedReferences.Reason.ReferenceInvalid.name(),
                  "Secret su (spec.superuser.credentialsSecret) key 'email' is not a valid email"
                      + " address")));
  static final StatusAggregator.ChildFailure CONFLICT =
      new StatusAggregator.ChildFailure(
          "ConfigMap", "polls-settings", "NameConflict", "ConfigMap polls-settings already exists");

  /** deployment, references, failures -> Ready, its reason, Available, Reconciling, Stalled. */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "no Deployment yet", null, FOUND, List.of(), false, "RollingOut", false, true, false),
        Arguments.of(
            "rolled out and available",
            deployment(2, 2, 2, 2, 2, true, null),
            FOUND,
            List.of(),
            true,
            "Ready",
            true,
            false,
            false),
        Arguments.of(
            "spec not yet observed",
            deployment(2, 2, 2, 2, 1, true, null),
            FOUND,
            List.of(),
            false,
            "RollingOut",
            true,
            true,
            false),
        Arguments.of(
            "pods being updated",
            deployment(3, 1, 3, 2, 2, true, null),
            FOUND,
            List.of(),
            false,
            "RollingOut",
            true,
            true,
            false),
        Arguments.of(
            "old pods terminating",
            deployment(2, 2, 3, 2, 2, true, null),
            FOUND,
            List.of(),
            false,
            "RollingOut",
            true,
            true,
            false),
        Arguments.of(
            "not available",
            deployment(2, 2, 2, 0, 2, false, null),
            FOUND,
            List.of(),
            false,
            "RollingOut",
            false,
            true,
            false),
        Arguments.of(
            "referenced Secret missing",
            deployment(2, 2, 2, 2, 2, true, null),
            MISSING,
            List.of(),
            false,
            "ReferenceNotFound",
            true,
            false,
            true),
        Arguments.of(
            "superuser Secret unusable",
            deployment(2, 2, 2, 2, 2, true, null),
            INVALID,
            List.of(),
            false,
            "ReferenceInvalid",
            true,
            false,
            true),
        Arguments.of(
            "name conflict",
            null,
            FOUND,
            List.of(CONFLICT),
            false,
            "NameConflict",
            false,
            false,
            true),
        Arguments.of(
            "rollout stuck",
            deployment(2, 1, 3, 2, 2, true, "ProgressDeadlineExceeded"),
            FOUND,
            List.of(),
            false,
            "ProgressDeadlineExceeded",
            true,
            false,
            true));
  }

  @Test
  void whileTheReplacedIngressStillServesTheHostReadySaysWhatCompletesTheMove() {
    var app = TestApps.polls();
    app.getSpec().ingress.replaces = "polls-ingress";
    var shared = new AppUrl.Facts(true, false, false, Optional.of("polls-ingress"));
    var status =
        StatusAggregator.aggregate(
            new StatusAggregator.Facts(
                app,
                deployment(2, 2, 2, 2, 2, true, null),
                FOUND,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                shared,
                Workers.NONE),
            T0);

    var ready = Conditions.find(status.conditions, Conditions.READY).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getMessage())
        .isEqualTo(
            "The app is serving at http://polls.example.com/. Ingress polls-ingress"
                + " (spec.ingress.replaces) serves polls.example.com too: delete it to complete the"
                + " move (kubectl delete ingress polls-ingress -n "
                + app.getMetadata().getNamespace()
                + ").");

    var alone =
        StatusAggregator.aggregate(
            new StatusAggregator.Facts(
                app,
                deployment(2, 2, 2, 2, 2, true, null),
                FOUND,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                new AppUrl.Facts(true, false, false),
                Workers.NONE),
            T0);
    assertThat(Conditions.find(alone.conditions, Conditions.READY).orElseThrow().getMessage())
        .isEqualTo("The app is serving at http://polls.example.com/.");
  }

  @Test
  void podsThatCannotStartStallTheAppWithTheKubeletsReason() {
    var failure =
        new Problem(
            "ImagePullBackOff",
            "Pod polls-migrate-1-x"
                + " (Job polls-migrate-1), container migrate: ImagePullBackOff: Back-off pulling image");
    var status =
        StatusAggregator.aggregate(
            new StatusAggregator.Facts(
                TestApps.polls(),
                null,
                FOUND,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(failure),
                AppUrl.Facts.NONE,
                Workers.NONE),
            T0);

    var ready = Conditions.find(status.conditions, Conditions.READY).orElseThrow();
    assertThat(ready.getReason()).isEqualTo("ImagePullBackOff");
    assertThat(ready.getMessage()).startsWith(failure.message());
    assertThat(Conditions.isTrue(status.conditions, Conditions.STALLED)).isTrue();
    assertThat(Conditions.isTrue(status.conditions, Conditions.RECONCILING)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aggregates(
      String name,
      Deployment deployment,
      ObservedReferences refs,
      List<StatusAggregator.ChildFailure> failures,
      boolean ready,
      String reason,
      boolean available,
      boolean reconciling,
      boolean stalled) {
    var status =
        StatusAggregator.aggregate(
            new StatusAggregator.Facts(TestApps.polls(), deployment, refs, failures), T0);

    assertThat(Conditions.isTrue(status.conditions, Conditions.READY)).isEqualTo(ready);
    assertThat(Conditions.find(status.conditions, Conditions.READY).orElseThrow().getReason())
        .isEqualTo(reason);
    assertThat(Conditions.isTrue(status.conditions, Conditions.AVAILABLE)).isEqualTo(available);
    assertThat(Conditions.isTrue(status.conditions, Conditions.RECONCILING)).isEqualTo(reconciling);
    assertThat(Conditions.isTrue(status.conditions, Conditions.STALLED)).isEqualTo(stalled);
    assertThat(status.conditions)
        .allSatisfy(
            c -> {
              assertThat(c.getReason()).matches("[A-Z][A-Za-z]*");
              assertThat(c.getMessage()).isNotBlank();
              assertThat(c.getObservedGeneration()).isEqualTo(1L);
            });
    assertThat(status.observedGeneration).isEqualTo(1L);
    assertThat(status.selector)
        .isEqualTo(
            "app.kubernetes.io/name=django,app.kubernetes.io/instance=polls,"
                + "app.kubernetes.io/component=web");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keepsTransitionTimesUnlessTheStatusChanges(
      String name,
      Deployment deployment,
      ObservedReferences refs,
      List<StatusAggregator.ChildFailure> failures) {
    var app = TestApps.polls();
    app.setStatus(
        StatusAggregator.aggregate(
            new StatusAggregator.Facts(app, deployment, refs, failures), T0));

    var same =
        StatusAggregator.aggregate(new StatusAggregator.Facts(app, deployment, refs, failures), T1);
    assertThat(same.conditions)
        .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z"));
    assertThat(StatusReporter.unchanged(app.getStatus(), same)).isTrue();

    var healthy =
        StatusAggregator.aggregate(
            new StatusAggregator.Facts(
                app, deployment(2, 2, 2, 2, 2, true, null), FOUND, List.of()),
            T1);
    var wasReady = Conditions.isTrue(app.getStatus().conditions, Conditions.READY);
    assertThat(
            Conditions.find(healthy.conditions, Conditions.READY)
                .orElseThrow()
                .getLastTransitionTime())
        .isEqualTo(wasReady ? "2026-11-22T10:00:00Z" : "2026-11-22T10:05:00Z");
  }

  static Deployment deployment(
      int desired,
      int updated,
      int total,
      int available,
      long observedGeneration,
      boolean availableCondition,
      String progressingReason) {
    var builder =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("polls")
            .withGeneration(2L)
            .endMetadata()
            .withNewSpec()
            .withReplicas(desired)
            .withNewTemplate()
            .withNewSpec()
            .addNewContainer()
            .withImage("app:1")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .withNewStatus()
            .withObservedGeneration(observedGeneration)
            .withReplicas(total)
            .withUpdatedReplicas(updated)
            .withReadyReplicas(available)
            .withAvailableReplicas(available)
            .addNewCondition()
            .withType("Available")
            .withStatus(availableCondition ? "True" : "False")
            .withReason(
                availableCondition ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
            .endCondition()
            .endStatus();
    if (progressingReason != null) {
      builder
          .editStatus()
          .addNewCondition()
          .withType("Progressing")
          .withStatus("False")
          .withReason(progressingReason)
          .withMessage("ReplicaSet \"polls-1\" has timed out.")
          .endCondition()
          .endStatus();
    }
    return builder.build();
  }

  static ReleaseGate.Decision release(
      boolean released, String reason, boolean failed, Optional<ReleaseGate.JobState> superuser) {
    return new ReleaseGate.Decision(
        Optional.of("app:1"),
        Set.of(),
        released,
        reason,
        reason + " message",
        failed,
        false,
        Optional.of("app:1"),
        superuser);
  }

  static ReleaseGate.JobState superuserJob(ReleaseGate.Outcome outcome) {
    return new ReleaseGate.JobState(
        "polls-superuser-x",
        outcome,
        outcome == ReleaseGate.Outcome.FAILED ? "BackoffLimitExceeded" : "Complete",
        "failed");
  }

  static Optional<TlsOutcome> tls(
      IssuerDecision.Stage stage, IssuerDecision.Phase phase, String reason) {
    var config = new TlsConfig("ClusterIssuer", "staging", "production", false, false);
    return Optional.of(
        new TlsOutcome(
            config,
            new IssuerDecision.Decision(
                stage == IssuerDecision.Stage.Staging ? "staging" : "production",
                stage,
                phase,
                "Promoted".equals(reason),
                reason,
                reason + " message"),
            Optional.empty(),
            false));
  }

  /**
   * The release gate's and the certificate's rows, on a healthy Deployment: the condition each
   * adds, and what it does to Ready and Stalled.
   */
  static Stream<Arguments> releaseAndCertificate() {
    var none = Optional.<ReleaseGate.JobState>empty();
    var noTls = Optional.<TlsOutcome>empty();
    return Stream.of(
        Arguments.of(
            "migrating a new image",
            release(false, "Migrating", false, none),
            noTls,
            Conditions.MIGRATIONS_APPLIED,
            false,
            "Migrating",
            false,
            "Migrating",
            false),
        Arguments.of(
            "migration failed",
            release(false, "MigrationFailed", true, none),
            noTls,
            Conditions.MIGRATIONS_APPLIED,
            false,
            "MigrationFailed",
            false,
            "MigrationFailed",
            true),
        Arguments.of(
            "migrations succeeded",
            release(true, "Succeeded", false, none),
            noTls,
            Conditions.MIGRATIONS_APPLIED,
            true,
            "Succeeded",
            true,
            "Ready",
            false),
        Arguments.of(
            "superuser being created",
            release(
                true, "Succeeded", false, Optional.of(superuserJob(ReleaseGate.Outcome.RUNNING))),
            noTls,
            Conditions.SUPERUSER_CREATED,
            false,
            "Running",
            true,
            "Ready",
            false),
        Arguments.of(
            "superuser created",
            release(
                true, "Succeeded", false, Optional.of(superuserJob(ReleaseGate.Outcome.SUCCEEDED))),
            noTls,
            Conditions.SUPERUSER_CREATED,
            true,
            "Created",
            true,
            "Ready",
            false),
        Arguments.of(
            "superuser Job failed: reported, the app still serves",
            release(
                true, "Succeeded", false, Optional.of(superuserJob(ReleaseGate.Outcome.FAILED))),
            noTls,
            Conditions.SUPERUSER_CREATED,
            false,
            "JobFailed",
            true,
            "Ready",
            false));
  }

  /** Each CertificateReady reason: only an issued production certificate is ready. */
  static Stream<Arguments> certificate() {
    return Stream.of(
        Arguments.of(IssuerDecision.Stage.Staging, IssuerDecision.Phase.Issuing, "Issuing", false),
        Arguments.of(
            IssuerDecision.Stage.Staging, IssuerDecision.Phase.Issuing, "ChallengePending", false),
        Arguments.of(
            IssuerDecision.Stage.Staging, IssuerDecision.Phase.Failed, "ChallengeFailed", false),
        Arguments.of(
            IssuerDecision.Stage.Staging, IssuerDecision.Phase.Failed, "IssuanceFailed", false),
        Arguments.of(
            IssuerDecision.Stage.Staging, IssuerDecision.Phase.Ready, "AwaitingPromotion", false),
        Arguments.of(
            IssuerDecision.Stage.Production, IssuerDecision.Phase.Issuing, "Promoted", false),
        Arguments.of(
            IssuerDecision.Stage.Production, IssuerDecision.Phase.Issuing, "Promoting", false),
        Arguments.of(IssuerDecision.Stage.Production, IssuerDecision.Phase.Ready, "Issued", true),
        Arguments.of(
            IssuerDecision.Stage.Staging,
            IssuerDecision.Phase.Unavailable,
            "CertManagerNotInstalled",
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releaseAndCertificate")
  void reportsTheReleaseGate(
      String name,
      ReleaseGate.Decision release,
      Optional<TlsOutcome> tls,
      String type,
      boolean status,
      String reason,
      boolean ready,
      String readyReason,
      boolean stalled) {
    var aggregated =
        StatusAggregator.aggregate(
            new StatusAggregator.Facts(
                TestApps.polls(),
                deployment(2, 2, 2, 2, 2, true, null),
                FOUND,
                List.of(),
                tls,
                Optional.of(release),
                Optional.empty(),
                AppUrl.Facts.NONE,
                Workers.NONE),
            T0);
    var condition = Conditions.find(aggregated.conditions, type).orElseThrow();
    assertThat(condition.getStatus()).isEqualTo(status ? "True" : "False");
    assertThat(condition.getReason()).isEqualTo(reason);
    assertThat(Conditions.isTrue(aggregated.conditions, Conditions.READY)).isEqualTo(ready);
    assertThat(Conditions.find(aggregated.conditions, Conditions.READY).orElseThrow().getReason())
        .isEqualTo(readyReason);
    assertThat(Conditions.isTrue(aggregated.conditions, Conditions.STALLED)).isEqualTo(stalled);
    assertThat(aggregated.migratedImage).isEqualTo("app:1");
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("certificate")
  void reportsEachCertificateReason(
      IssuerDecision.Stage stage,
      IssuerDecision.Phase phase,
      String reason,
      boolean certificateReady) {
    var aggregated =
        StatusAggregator.aggregate(
            new StatusAggregator.Facts(
                TestApps.polls(),
                deployment(2, 2, 2, 2, 2, true, null),
                FOUND,
                List.of(),
                tls(stage, phase, reason),
                Optional.empty(),
                Optional.empty(),
                AppUrl.Facts.NONE,
                Workers.NONE),
            T0);
    var condition =
        Conditions.find(aggregated.conditions, Conditions.CERTIFICATE_READY).orElseThrow();
    assertThat(condition.getReason()).isEqualTo(reason);
    assertThat(condition.getStatus()).isEqualTo(certificateReady ? "True" : "False");
    assertThat(aggregated.tls.stage).isEqualTo(stage.name());
    assertThat(aggregated.tls.phase).isEqualTo(phase.name());
    // the app serves while its certificate is issued: the certificate never holds Ready back
    assertThat(Conditions.isTrue(aggregated.conditions, Conditions.READY)).isTrue();
  }
}
