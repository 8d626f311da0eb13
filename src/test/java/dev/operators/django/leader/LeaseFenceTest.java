package dev.operators.django.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The fence's arithmetic, on a wall clock and a monotonic clock that the test moves. */
class LeaseFenceTest {
  private static final Instant T0 = Instant.parse("2026-12-02T09:00:00Z");
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private Instant wall = T0;
  private final LeaseFence fence =
      new LeaseFence(
          "django-operator",
          "django-operator",
          "a",
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          new Clock() {
            @Override
            public ZoneId getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return wall;
            }
          },
          nanos::get);

  private void elapse(Duration d) {
    nanos.addAndGet(d.toNanos());
    wall = wall.plus(d);
  }

  private static String lease(String holder, int seconds, Instant renewTime) {
    return """
        {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"django-operator",
        "namespace":"django-operator","resourceVersion":"7"},"spec":{"holderIdentity":%s,
        "leaseDurationSeconds":%d,"renewTime":"%s"}}"""
        .formatted(holder == null ? "null" : "\"" + holder + "\"", seconds, renewTime);
  }

  @Test
  void closedUntilTheLeaseIsWrittenForThisReplica() {
    assertThat(fence.allowsWrites()).isFalse();
    fence.leaseWritten(lease("b", 15, T0));
    assertThat(fence.allowsWrites()).isFalse();
    fence.leaseWritten(lease("a", 15, T0));
    assertThat(fence.allowsWrites()).isTrue();
  }

  @Test
  void closesAtRenewTimePlusTheRenewDeadlineWithoutAFurtherRenewal() {
    fence.leaseWritten(lease("a", 15, T0));
    elapse(Duration.ofMillis(9_999));
    assertThat(fence.allowsWrites()).isTrue();
    elapse(Duration.ofMillis(200));
    assertThat(fence.allowsWrites()).isFalse();
    fence.leaseWritten(lease("a", 15, wall));
    assertThat(fence.allowsWrites()).isTrue();
  }

  @Test
  void aRenewalThatCarriesAnOldRenewTimeProvesOnlyWhatItSays() {
    // renewTime taken before a pause, the write sent after it: the others judge by renewTime.
    elapse(Duration.ofSeconds(12));
    fence.leaseWritten(lease("a", 15, T0));
    assertThat(fence.allowsWrites()).isFalse();
  }

  @Test
  void aPausedProcessFindsTheFenceClosedWhenItWakes() {
    fence.leaseWritten(lease("a", 15, T0));
    nanos.addAndGet(Duration.ofSeconds(25).toNanos()); // SIGSTOP: the monotonic clock runs on
    assertThat(fence.allowsWrites()).isFalse();
  }

  @Test
  void releaseAndRevokeCloseIt() {
    fence.leaseWritten(lease("a", 15, T0));
    fence.leaseWritten(lease(null, 1, T0));
    assertThat(fence.allowsWrites()).isFalse();
    fence.leaseWritten(lease("a", 15, T0));
    fence.revoke();
    assertThat(fence.allowsWrites()).isFalse();
  }

  @Test
  void onlyWritesOtherThanLeasesAndReviewsAreStopped() {
    var base = "https://127.0.0.1:6443";
    fence.before(null, request("GET", base + "/api/v1/namespaces/x/secrets/s"), null);
    fence.before(
        null,
        request(
            "PATCH",
            base
                + "/apis/coordination.k8s.io/v1/namespaces/django-operator/leases/django-operator"),
        null);
    fence.before(
        null,
        request("POST", base + "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews"),
        null);
    assertThatThrownBy(
            () -> fence.before(null, request("POST", base + "/api/v1/namespaces/x/events"), null))
        .isInstanceOf(LeaseFence.FencedWrite.class);
    fence.leaseWritten(lease("a", 15, T0));
    fence.before(null, request("POST", base + "/api/v1/namespaces/x/events"), null);
  }

  private static StandardHttpRequest request(String method, String uri) {
    return new StandardHttpRequest(Map.of(), URI.create(uri), method, null);
  }
}
