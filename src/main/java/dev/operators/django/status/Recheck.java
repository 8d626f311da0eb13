package dev.operators.django.status;

import static dev.operators.django.status.Conditions.STALLED;

import dev.operators.django.api.DjangoAppStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When to look at an app again without an event: a pure function. While cert-manager is missing,
 * every minute (or at the resync, if that is sooner), so a later install is noticed. While the app
 * is stalled, after as long as it has been stalled: 10 s, 20 s, ... up to {@code maxBackoff},
 * unless only a watched change can end the stall (a refused host or annotation). Else never: the
 * watches and the resync bring every change.
 */
public final class Recheck {
  static final Duration MIN_BACKOFF = Duration.ofSeconds(10);
  static final Duration CERT_MANAGER = Duration.ofMinutes(1);
  static final Duration EVENTS_OWED = Duration.ofSeconds(10);

  private Recheck() {}

  public static Optional<Duration> after(
      DjangoAppStatus status,
      boolean certManagerMissing,
      boolean eventsOwed,
      Duration maxBackoff,
      Duration resync,
      Instant now) {
    var recheck = after(status, certManagerMissing, maxBackoff, resync, now);
    // An Event that could not be recorded (the API server away) is recorded by a later reconcile,
    // and nothing else may come for a while: a healthy app has no timer.
    return eventsOwed && recheck.filter(d -> d.compareTo(EVENTS_OWED) <= 0).isEmpty()
        ? Optional.of(EVENTS_OWED)
        : recheck;
  }

  private static Optional<Duration> after(
      DjangoAppStatus status,
      boolean certManagerMissing,
      Duration maxBackoff,
      Duration resync,
      Instant now) {
    if (certManagerMissing) {
      return Optional.of(CERT_MANAGER.compareTo(resync) < 0 ? CERT_MANAGER : resync);
    }
    return Conditions.find(status.conditions, STALLED)
        .filter(c -> "True".equals(c.getStatus()))
        .filter(c -> !IngressRefusals.resolvedByWatch(c.getReason()))
        .map(
            c -> {
              var since = Duration.between(Instant.parse(c.getLastTransitionTime()), now);
              var delay = since.compareTo(MIN_BACKOFF) < 0 ? MIN_BACKOFF : since;
              return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
            });
  }
}
