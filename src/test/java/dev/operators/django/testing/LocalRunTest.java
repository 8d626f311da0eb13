package dev.operators.django.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ./mvnw -Prun's decisions: where it runs, whether another operator holds the Lease, its port. */
class LocalRunTest {
  static final List<String> CONTEXTS = List.of("prod", "kind-dev");

  @Test
  void aKubeContextIsUsedOnlyWhenNamed() {
    // No kubeconfig: the local control plane, as on a fresh machine.
    assertThat(RunTarget.decide(Optional.empty(), List.of(), Optional.empty()).isLocal()).isTrue();
    // A current context, not named: refused, saying which and what to type.
    var refused = RunTarget.decide(Optional.of("prod"), CONTEXTS, Optional.empty());
    assertThat(refused.context()).isEmpty();
    assertThat(refused.refusal())
        .hasValueSatisfying(
            r -> assertThat(r).contains("current kube context is prod").contains("-Dcontext=prod"));
    // Named: that context, current or not.
    assertThat(RunTarget.decide(Optional.of("prod"), CONTEXTS, Optional.of("prod")).context())
        .contains("prod");
    assertThat(RunTarget.decide(Optional.of("prod"), CONTEXTS, Optional.of("kind-dev")).context())
        .contains("kind-dev");
    // local: the local control plane even with a kubeconfig.
    assertThat(RunTarget.decide(Optional.of("prod"), CONTEXTS, Optional.of("local")).isLocal())
        .isTrue();
    // A name that is not in the kubeconfig: refused, listing the contexts.
    assertThat(RunTarget.decide(Optional.of("prod"), CONTEXTS, Optional.of("staging")).refusal())
        .hasValueSatisfying(
            r -> assertThat(r).contains("no kube context staging").contains("prod, kind-dev"));
  }

  @Test
  void aLeaseRenewedWithinItsDurationIsAnotherOperatorRunning() {
    var now = Instant.parse("2026-12-07T20:00:00Z");
    assertThat(LeaseCheck.heldBy(List.of(lease("replica-a", now.minusSeconds(3), 15)), now))
        .hasValueSatisfying(
            h ->
                assertThat(h)
                    .contains("django-operator/django-operator")
                    .contains("replica-a")
                    .contains("3 s ago"));
    assertThat(LeaseCheck.heldBy(List.of(lease("replica-a", now.minusSeconds(16), 15)), now))
        .as("expired")
        .isEmpty();
    assertThat(LeaseCheck.heldBy(List.of(lease("", now, 15)), now)).as("released").isEmpty();
    assertThat(LeaseCheck.heldBy(List.of(lease(null, null, 15)), now)).as("never held").isEmpty();
    assertThat(
            LeaseCheck.heldBy(
                List.of(
                    lease("old", now.minusSeconds(60), 15), lease("b", now.minusSeconds(1), 15)),
                now))
        .hasValueSatisfying(h -> assertThat(h).contains("held by b"));
  }

  @Test
  void aBusyDefaultPortIsReplacedByAFreeOneAndABusyChosenPortEndsTheRun() throws IOException {
    try (var taken = new ServerSocket(0)) {
      int busy = taken.getLocalPort();
      int chosen = HealthPort.choose(Map.of(), busy);
      assertThat(chosen).isPositive().isNotEqualTo(busy);
      assertThatThrownBy(() -> HealthPort.choose(Map.of("HEALTH_PORT", String.valueOf(busy)), 8080))
          .hasMessageContaining("port " + busy + " (HEALTH_PORT) is in use");
    }
    int free;
    try (var socket = new ServerSocket(0)) {
      free = socket.getLocalPort();
    }
    assertThat(HealthPort.choose(Map.of(), free)).isEqualTo(free);
  }

  private static Lease lease(String holder, Instant renewed, int seconds) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withNamespace("django-operator")
        .withName("django-operator")
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withRenewTime(renewed == null ? null : ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC))
        .withLeaseDurationSeconds(seconds)
        .endSpec()
        .build();
  }
}
