package dev.operators.django.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.django.hosts.HostOwnership.Claimant;
import dev.operators.django.hosts.HostOwnership.Kind;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HostOwnershipTest {
  static final Instant OLD = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant NEW = Instant.parse("2026-06-01T00:00:00Z");

  static Claimant app(String key, Instant created, boolean serving) {
    var parts = key.split("/");
    return new Claimant(Kind.DjangoApp, parts[0], parts[1], created, serving);
  }

  static Claimant ingress(String key, Instant created) {
    var parts = key.split("/");
    return new Claimant(Kind.Ingress, parts[0], parts[1], created, true);
  }

  /** self, the other claimants -> the owner when it is not self (null: self owns it). */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("alone", app("b/shop", NEW, false), List.of(), null),
        Arguments.of(
            "older app, neither serves yet: the older wins",
            app("b/shop", NEW, false),
            List.of(app("a/shop", OLD, false)),
            "a/shop"),
        Arguments.of(
            "self older, neither serves",
            app("a/shop", OLD, false),
            List.of(app("b/shop", NEW, false)),
            null),
        Arguments.of(
            "older app serves",
            app("b/shop", NEW, false),
            List.of(app("a/shop", OLD, true)),
            "a/shop"),
        Arguments.of(
            "an older app that adds a served host does not take it",
            app("a/shop", OLD, false),
            List.of(app("b/shop", NEW, true)),
            "b/shop"),
        Arguments.of(
            "the incumbent keeps it against an older newcomer",
            app("b/shop", NEW, true),
            List.of(app("a/shop", OLD, false)),
            null),
        Arguments.of(
            "both serve (from before this rule): the older wins",
            app("b/shop", NEW, true),
            List.of(app("a/shop", OLD, true)),
            "a/shop"),
        Arguments.of(
            "same second: namespace then name decide",
            app("b/shop", OLD, false),
            List.of(app("a/zzz", OLD, false)),
            "a/zzz"),
        Arguments.of(
            "same second, self first by namespace",
            app("a/zzz", OLD, false),
            List.of(app("b/shop", OLD, false)),
            null),
        Arguments.of(
            "same namespace and second: the name decides",
            app("a/shop", OLD, false),
            List.of(app("a/blog", OLD, false)),
            "a/blog"),
        Arguments.of(
            "a foreign Ingress serves the host, created before",
            app("b/shop", NEW, false),
            List.of(ingress("legacy/shop", OLD)),
            "legacy/shop"),
        Arguments.of(
            "a foreign Ingress created after the app took the host",
            app("a/shop", OLD, true),
            List.of(ingress("late/shop", NEW)),
            null),
        Arguments.of(
            "a foreign Ingress beats an app that only claims the host",
            app("a/shop", OLD, false),
            List.of(ingress("late/shop", NEW)),
            "late/shop"),
        Arguments.of(
            "several: the earliest serving one",
            app("c/shop", OLD, false),
            List.of(
                app("a/shop", NEW, true),
                ingress("x/shop", NEW.plusSeconds(5)),
                app("b/shop", OLD.minusSeconds(5), false)),
            "a/shop"),
        Arguments.of(
            "itself among the others is ignored",
            app("a/shop", OLD, false),
            List.of(app("a/shop", OLD, false)),
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decidesTheOwner(String name, Claimant self, List<Claimant> others, String owner) {
    var decided = HostOwnership.ownerOtherThan(self, others);
    assertThat(decided.map(Claimant::key).orElse(null)).isEqualTo(owner);
  }

  /** Every claimant, taking its own turn as self, agrees on one owner. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyClaimantAgrees(String name, Claimant self, List<Claimant> others, String owner) {
    var all = Stream.concat(Stream.of(self), others.stream()).distinct().toList();
    var owners = all.stream().filter(c -> HostOwnership.ownerOtherThan(c, all).isEmpty()).toList();
    assertThat(owners).hasSize(1);
  }
}
