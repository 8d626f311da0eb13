package dev.operators.django.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.status.Announcements.Announcement;
import dev.operators.django.tls.IssuerDecision;
import dev.operators.django.tls.TlsConfig;
import dev.operators.django.tls.TlsOutcome;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which transitions are announced, and when an announcement counts as already recorded. */
class AnnouncementsTest {
  private static final String T0 = "2026-12-02T09:00:00Z";
  private static final String T1 = "2026-12-02T09:00:05Z";

  static Condition ready(String status, String reason, String since) {
    return new ConditionBuilder()
        .withType(Conditions.READY)
        .withStatus(status)
        .withReason(reason)
        .withMessage(reason + " message")
        .withLastTransitionTime(since)
        .build();
  }

  static Condition stalled(String reason, String since) {
    return new ConditionBuilder()
        .withType(Conditions.STALLED)
        .withStatus("True")
        .withReason(reason)
        .withMessage(reason + " message")
        .withLastTransitionTime(since)
        .build();
  }

  static DjangoAppStatus status(Condition... conditions) {
    var status = new DjangoAppStatus();
    status.conditions = List.of(conditions);
    return status;
  }

  /** before, after -> the Event reasons announced. */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "a new app's first RollingOut",
            List.of(),
            status(ready("False", "RollingOut", T0)),
            List.of()),
        Arguments.of(
            "a new app's migrations",
            List.of(),
            status(ready("False", "Migrating", T0)),
            List.of("Migrating")),
        Arguments.of(
            "becomes Ready",
            List.of(ready("False", "RollingOut", T0)),
            status(ready("True", "Ready", T1)),
            List.of("Ready")),
        Arguments.of(
            "stays Ready",
            List.of(ready("True", "Ready", T0)),
            status(ready("True", "Ready", T0)),
            List.of()),
        Arguments.of(
            "a running app rolls out",
            List.of(ready("True", "Ready", T0)),
            status(ready("False", "RollingOut", T1)),
            List.of("RollingOut")),
        Arguments.of(
            "a new image rolls out after its migrations: Migrating said it",
            List.of(ready("False", "Migrating", T0)),
            status(ready("False", "RollingOut", T0)),
            List.of()),
        Arguments.of(
            "a reason change without a status change",
            List.of(ready("False", "Migrating", T0)),
            status(ready("False", "MigrationFailed", T0)),
            List.of("MigrationFailed")),
        Arguments.of(
            "stalled with the same reason as Ready",
            List.of(),
            status(ready("False", "ReferenceNotFound", T0), stalled("ReferenceNotFound", T0)),
            List.of("ReferenceNotFound")),
        Arguments.of(
            "stalled with its own reason",
            List.of(ready("True", "Ready", T0)),
            status(ready("False", "ProgressDeadlineExceeded", T1), stalled("NameConflict", T1)),
            List.of("ProgressDeadlineExceeded", "NameConflict")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void announces(String name, List<Condition> before, DjangoAppStatus after, List<String> reasons) {
    assertThat(Announcements.of(before, after))
        .extracting(Announcement::reason)
        .containsExactlyElementsOf(reasons);
  }

  @Test
  void anAnnouncementIsRecordedByAnEventOfItsReasonAtOrAfterTheTransition() {
    var announcement = new Announcement(false, "Ready", "serving", T1);
    var before =
        new EventBuilder()
            .withReason("Ready")
            .withReportingComponent("django-operator")
            .withLastTimestamp(T0)
            .build();
    var at = new EventBuilder(before).withLastTimestamp(T1).build();
    var otherReason = new EventBuilder(at).withReason("RollingOut").build();
    var otherComponent = new EventBuilder(at).withReportingComponent("someone-else").build();
    assertThat(
            MissedAnnouncements.recorded(
                announcement, List.of(before, otherReason, otherComponent)))
        .isFalse();
    assertThat(MissedAnnouncements.recorded(announcement, List.of(before, at))).isTrue();
  }

  static Optional<TlsOutcome> promoting(boolean promoted) {
    var config = new TlsConfig("ClusterIssuer", "staging", "production", false, false);
    return Optional.of(
        new TlsOutcome(
            config,
            new IssuerDecision.Decision(
                "production",
                IssuerDecision.Stage.Production,
                IssuerDecision.Phase.Issuing,
                promoted,
                promoted ? "Promoted" : "Promoting",
                "moved to production"),
            Optional.empty(),
            false));
  }

  /** the issuer decision, the children that failed -> whether Promoted is announced. */
  static Stream<Arguments> promotions() {
    var ingressFailed =
        new StatusAggregator.ChildFailure(
            "Ingress", "polls", "ApplyFailed", "Ingress polls could not be applied");
    var serviceFailed =
        new StatusAggregator.ChildFailure(
            "Service", "polls", "ApplyFailed", "Service polls could not be applied");
    return Stream.of(
        Arguments.of("this reconcile promotes", promoting(true), List.of(), true),
        Arguments.of("promoted earlier, still issuing", promoting(false), List.of(), false),
        Arguments.of(
            "the Ingress asking for production was not applied",
            promoting(true),
            List.of(ingressFailed),
            false),
        Arguments.of(
            "another child failed: the Ingress was applied",
            promoting(true),
            List.of(serviceFailed),
            true),
        Arguments.of("no TLS", Optional.<TlsOutcome>empty(), List.of(), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("promotions")
  void announcesAPromotionOnceTheIngressAsksForProduction(
      String name,
      Optional<TlsOutcome> tls,
      List<StatusAggregator.ChildFailure> failures,
      boolean promoted) {
    var announcement = Announcements.promotion(tls, failures);
    assertThat(announcement.isPresent()).isEqualTo(promoted);
    announcement.ifPresent(
        a -> {
          assertThat(a.reason()).isEqualTo("Promoted");
          assertThat(a.warning()).isFalse();
          assertThat(a.message()).isEqualTo("moved to production");
        });
  }
}
