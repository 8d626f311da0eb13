package dev.operators.django.leader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets this replica's writes reach the API server only while it can prove it holds the Lease: until
 * its last successful renewal's {@code renewTime} plus the renew deadline (10 s of the 15 s Lease).
 * Another replica may take the Lease only at {@code renewTime} plus the Lease duration, so the
 * fence closes a third of a Lease before anyone else can write.
 *
 * <p>It sits in the HTTP client, as the last step before a request is sent, so that no write path
 * (dependents, Jobs, status, Events) can forget it. The proof is read from the Lease writes
 * themselves: the renewal's request body carries the {@code renewTime} the other replicas judge
 * expiry by, and a 2xx answer says the API server accepted it. The time left is measured on the
 * monotonic clock, which keeps running while the process is paused (SIGSTOP, a frozen VM): a
 * process that wakes up after a pause longer than the deadline finds the fence closed and writes
 * nothing until a renewal succeeds, and the renewal fails if another replica took the Lease
 * meanwhile. What remains is the time between this check and the request reaching the API server: a
 * write checked just before the fence closes has the 5 s margin to arrive.
 */
public final class LeaseFence implements Interceptor {
  public static final String NAME = "django-operator-lease-fence";
  private static final Logger log = LoggerFactory.getLogger(LeaseFence.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  /** Reviews are POSTed but change nothing; java-operator-sdk checks its Lease RBAC with one. */
  private static final List<String> UNFENCED_PREFIXES =
      List.of("/apis/authorization.k8s.io/", "/apis/authentication.k8s.io/");

  private final String leasePath;
  private final String leaseName;
  private final String identity;
  private final Duration leaseDuration;
  private final Duration renewDeadline;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private volatile long openUntilNanos;
  private volatile boolean proven;
  private volatile boolean revoked;

  public LeaseFence(
      String leaseNamespace,
      String leaseName,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline) {
    this(
        leaseNamespace,
        leaseName,
        identity,
        leaseDuration,
        renewDeadline,
        Clock.systemUTC(),
        System::nanoTime);
  }

  LeaseFence(
      String leaseNamespace,
      String leaseName,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline,
      Clock clock,
      LongSupplier nanoTime) {
    this.leasePath = "/apis/coordination.k8s.io/v1/namespaces/" + leaseNamespace + "/leases";
    this.leaseName = leaseName;
    this.identity = identity;
    this.leaseDuration = leaseDuration;
    this.renewDeadline = renewDeadline;
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  public void install(HttpClient.Builder builder) {
    builder.addOrReplaceInterceptor(NAME, this);
  }

  /** Whether a write sent now would be sent by the holder of a Lease that has not expired. */
  public boolean allowsWrites() {
    return proven && !revoked && nanoTime.getAsLong() - openUntilNanos < 0;
  }

  /** Closes the fence for good: leadership was lost or given up, this process writes no more. */
  public void revoke() {
    revoked = true;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (fenced(request) && !allowsWrites()) {
      var refused =
          new FencedWrite(
              request.method()
                  + " "
                  + request.uri().getPath()
                  + ": not sent, this replica cannot prove it holds the Lease "
                  + leaseName);
      // Logged here: the callers report the failure each in their own way, some at DEBUG.
      log.warn(refused.getMessage());
      throw refused;
    }
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if (response.isSuccessful()
        && WRITES.contains(request.method())
        && request.uri().getPath().startsWith(leasePath)) {
      leaseWritten(request.bodyString());
    }
  }

  /** A successful write of a Lease in the Lease namespace, with the body that was sent. */
  void leaseWritten(String body) {
    JsonNode lease;
    try {
      lease = JSON.readTree(body);
    } catch (Exception e) {
      return;
    }
    if (lease == null || !leaseName.equals(lease.path("metadata").path("name").asText())) {
      return;
    }
    var spec = lease.path("spec");
    boolean ours =
        identity.equals(spec.path("holderIdentity").asText(null))
            && spec.path("leaseDurationSeconds").asLong(0) >= leaseDuration.toSeconds()
            && spec.hasNonNull("renewTime");
    if (!ours) {
      // Released (fabric8 releases by shortening the Lease to 1 s) or written for another holder.
      openUntilNanos = nanoTime.getAsLong();
      proven = false;
      return;
    }
    Instant renewed;
    try {
      renewed = Instant.parse(spec.get("renewTime").asText());
    } catch (DateTimeParseException e) {
      openUntilNanos = nanoTime.getAsLong();
      proven = false;
      return;
    }
    var left = Duration.between(clock.instant(), renewed.plus(renewDeadline));
    openUntilNanos = nanoTime.getAsLong() + left.toNanos();
    proven = true;
  }

  private boolean fenced(HttpRequest request) {
    if (!WRITES.contains(request.method())) {
      return false;
    }
    var path = request.uri().getPath();
    return !path.startsWith(leasePath) && UNFENCED_PREFIXES.stream().noneMatch(path::startsWith);
  }

  /** A write this replica did not send because it cannot prove it holds the Lease. */
  public static final class FencedWrite extends KubernetesClientException {
    FencedWrite(String message) {
      super(message);
    }
  }
}
