package dev.operators.django.status;

import static dev.operators.django.status.Conditions.READY;
import static dev.operators.django.status.Conditions.STALLED;

import dev.operators.django.api.DjangoAppStatus;
import dev.operators.django.status.StatusAggregator.ChildFailure;
import dev.operators.django.tls.IssuerDecision;
import dev.operators.django.tls.TlsOutcome;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which Events a change of status announces: a pure function of the conditions before and after.
 * Ready and Stalled transitions, and the certificate's milestones; a person reads them in kubectl
 * describe. RollingOut is announced only when it interrupts Ready (a rollout of a serving app):
 * after creation, migrations or a fixed problem, pods roll because of what was just announced, and
 * the Ready Event says when they serve. (At 1,000 new apps these Events were an eighth of the API
 * server's writes.)
 */
final class Announcements {
  /** CertificateReady reasons whose message quotes the ACME challenge's cause. */
  private static final Set<String> CHALLENGE_REASONS =
      Set.of("ChallengePending", "ChallengeFailed");

  /** Ready=False reasons that are normal progress, not problems. */
  private static final Set<String> PROGRESS = Set.of("RollingOut", "Migrating");

  /**
   * One Event to record.
   *
   * @param since the lastTransitionTime of the condition it announces: an Event of this reason
   *     recorded at or after it is this announcement; null for one that announces no condition
   */
  record Announcement(boolean warning, String reason, String message, String since) {}

  private Announcements() {}

  static List<Announcement> of(List<Condition> before, DjangoAppStatus status) {
    var announcements = new ArrayList<Announcement>();
    var ready = Conditions.find(status.conditions, READY).orElseThrow();
    var wasReady = Conditions.find(before, READY);
    boolean wasServing = wasReady.map(c -> "True".equals(c.getStatus())).orElse(false);
    boolean quietRollout = "RollingOut".equals(ready.getReason()) && !wasServing;
    if (changed(wasReady, ready) && !quietRollout) {
      boolean problem = !"True".equals(ready.getStatus()) && !PROGRESS.contains(ready.getReason());
      announcements.add(
          announce(problem, "True".equals(ready.getStatus()) ? "Ready" : ready.getReason(), ready));
    }
    var stalled = Conditions.find(status.conditions, STALLED);
    if (stalled.isPresent()
        && "True".equals(stalled.get().getStatus())
        && changed(Conditions.find(before, STALLED), stalled.get())
        && !stalled.get().getReason().equals(ready.getReason())) {
      announcements.add(announce(true, stalled.get().getReason(), stalled.get()));
    }
    certificate(before, status).ifPresent(announcements::add);
    return announcements;
  }

  /**
   * Promoted, when this reconcile moves the certificate from the staging issuer to production and
   * the Ingress that asks for it was applied.
   */
  static Optional<Announcement> promotion(Optional<TlsOutcome> tls, List<ChildFailure> failures) {
    return tls.map(TlsOutcome::decision)
        .filter(IssuerDecision.Decision::promoted)
        .filter(decision -> failures.stream().noneMatch(f -> "Ingress".equals(f.kind())))
        .map(decision -> new Announcement(false, "Promoted", decision.message(), null));
  }

  private static Optional<Announcement> certificate(
      List<Condition> before, DjangoAppStatus status) {
    var certificate = Conditions.find(status.conditions, Conditions.CERTIFICATE_READY);
    if (certificate.isEmpty()) {
      return Optional.empty();
    }
    var condition = certificate.get();
    var previous = Conditions.find(before, Conditions.CERTIFICATE_READY);
    // A challenge's cause is quoted in the message: a new cause is news even under the same
    // reason, the same cause retried is not.
    boolean newCause =
        CHALLENGE_REASONS.contains(condition.getReason())
            && previous
                .map(p -> !Objects.equals(p.getMessage(), condition.getMessage()))
                .orElse(true);
    if (!changed(previous, condition) && !newCause) {
      return Optional.empty();
    }
    return switch (condition.getReason()) {
      case "Issued" -> Optional.of(announce(false, "CertificateIssued", condition));
      case "AwaitingPromotion" -> Optional.of(announce(false, "AwaitingPromotion", condition));
      case "IssuanceFailed", "CertManagerNotInstalled", "ChallengePending", "ChallengeFailed" ->
          Optional.of(announce(true, condition.getReason(), condition));
      default -> Optional.empty();
    };
  }

  private static Announcement announce(boolean warning, String reason, Condition condition) {
    return new Announcement(
        warning, reason, condition.getMessage(), condition.getLastTransitionTime());
  }

  private static boolean changed(Optional<Condition> before, Condition after) {
    return before.isEmpty()
        || !Objects.equals(before.get().getStatus(), after.getStatus())
        || !Objects.equals(before.get().getReason(), after.getReason());
  }
}
