package dev.operators.django.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.api.DjangoAppStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When an app is looked at again without an event. */
class RecheckTest {
  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  static final Duration MAX = Duration.ofMinutes(5);

  static DjangoAppStatus stalledFor(Duration duration) {
    var status = new DjangoAppStatus();
    status.conditions =
        duration == null
            ? List.of()
            : List.of(
                new ConditionBuilder()
                    .withType(Conditions.STALLED)
                    .withStatus("True")
                    .withReason("ReferenceNotFound")
                    .withLastTransitionTime(NOW.minus(duration).toString())
                    .build());
    return status;
  }

  /** stalled for, cert-manager missing, resync -> recheck after (no Events owed). */
  static Stream<Arguments> table() {
    var resync = Duration.ofMinutes(10);
    return Stream.of(
        Arguments.of("healthy: the watches bring every change", null, false, resync, null),
        Arguments.of("just stalled: 10 s", Duration.ZERO, false, resync, Duration.ofSeconds(10)),
        Arguments.of(
            "stalled 4 s: still 10 s",
            Duration.ofSeconds(4),
            false,
            resync,
            Duration.ofSeconds(10)),
        Arguments.of(
            "stalled 40 s: 40 s", Duration.ofSeconds(40), false, resync, Duration.ofSeconds(40)),
        Arguments.of(
            "stalled an hour: at most the maximum", Duration.ofHours(1), false, resync, MAX),
        Arguments.of(
            "cert-manager missing: every minute", null, true, resync, Duration.ofMinutes(1)),
        Arguments.of(
            "cert-manager missing, resync sooner: the resync",
            null,
            true,
            Duration.ofSeconds(30),
            Duration.ofSeconds(30)),
        Arguments.of(
            "cert-manager missing wins over a stall",
            Duration.ofHours(1),
            true,
            resync,
            Duration.ofMinutes(1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void rechecks(
      String name,
      Duration stalled,
      boolean certManagerMissing,
      Duration resync,
      Duration expected) {
    assertThat(Recheck.after(stalledFor(stalled), certManagerMissing, false, MAX, resync, NOW))
        .isEqualTo(Optional.ofNullable(expected));
  }

  /**
   * Events owed (one could not be recorded, or a failed reconcile may have lost a status write's
   * answer): looked at again within 10 s, unless something sooner is due anyway.
   */
  static Stream<Arguments> owed() {
    var resync = Duration.ofMinutes(10);
    return Stream.of(
        Arguments.of("healthy: 10 s", null, false, resync, Duration.ofSeconds(10)),
        Arguments.of(
            "stalled an hour: 10 s", Duration.ofHours(1), false, resync, Duration.ofSeconds(10)),
        Arguments.of("just stalled: 10 s", Duration.ZERO, false, resync, Duration.ofSeconds(10)),
        Arguments.of("cert-manager missing: 10 s", null, true, resync, Duration.ofSeconds(10)),
        Arguments.of(
            "a resync sooner than 10 s: the resync",
            null,
            true,
            Duration.ofSeconds(5),
            Duration.ofSeconds(5)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("owed")
  void eventsOwedAreLookedAtAgainSoon(
      String name,
      Duration stalled,
      boolean certManagerMissing,
      Duration resync,
      Duration expected) {
    assertThat(Recheck.after(stalledFor(stalled), certManagerMissing, true, MAX, resync, NOW))
        .isEqualTo(Optional.ofNullable(expected));
  }
}
