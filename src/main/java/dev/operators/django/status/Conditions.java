package dev.operators.django.status;

import dev.operators.django.api.Problem;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Kubernetes-convention conditions; lastTransitionTime moves only when the status changes. */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String AVAILABLE = "Available";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String CERTIFICATE_READY = "CertificateReady";
  public static final String MIGRATIONS_APPLIED = "MigrationsApplied";
  public static final String SUPERUSER_CREATED = "SuperuserCreated";

  private Conditions() {}

  /** What one condition says, before it is stamped: a pure function's answer. */
  public record Verdict(boolean status, String reason, String message) {
    public static Verdict of(boolean status, Problem problem) {
      return new Verdict(status, problem.reason(), problem.message());
    }
  }

  /**
   * The previous conditions, the generation and the clock of one status: every condition of it is
   * stamped with the same three, so a condition keeps its lastTransitionTime unless its status
   * changed.
   */
  public record Stamp(List<Condition> previous, long generation, Clock clock) {
    public Condition of(String type, Verdict verdict) {
      return Conditions.of(
          previous, type, verdict.status(), verdict.reason(), verdict.message(), generation, clock);
    }
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /**
   * A condition with the given facts, keeping the previous lastTransitionTime when the status did
   * not change.
   */
  public static Condition of(
      List<Condition> previous,
      String type,
      boolean status,
      String reason,
      String message,
      long generation,
      Clock clock) {
    var statusText = status ? "True" : "False";
    var transition =
        find(previous, type)
            .filter(c -> statusText.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(statusText)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build();
  }
}
