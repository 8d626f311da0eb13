package dev.operators.django.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this replica does when it gains or loses the Lease. java-operator-sdk's own reaction to a
 * lost Lease is {@code System.exit(1)}, which deadlocks when it runs inside the shutdown hook
 * (stopping the operator releases the Lease, and releasing it is "losing" it): the JVM waits for
 * the hook that waits for the exit. Here the exit is turned off in java-operator-sdk; a Lease lost
 * while running closes the fence at once and ends the process from a thread of its own (a restarted
 * process runs for the Lease again), and a Lease given up on shutdown only closes it.
 *
 * <p>java-operator-sdk 5.2 stops its elector without releasing the Lease (releaseOnCancel is off),
 * so a standby would wait a whole Lease duration; {@link #release} gives it up once the operator
 * has stopped.
 */
public final class Leadership {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  private final String leaseNamespace;
  private final String leaseName;
  private final String identity;
  private final LeaseFence fence;
  private final Runnable exit;
  private volatile boolean shuttingDown;
  private volatile long leadingSinceNanos;

  public Leadership(
      String leaseNamespace, String leaseName, String identity, LeaseFence fence, Runnable exit) {
    this.leaseNamespace = leaseNamespace;
    this.leaseName = leaseName;
    this.identity = identity;
    this.fence = fence;
    this.exit = exit;
  }

  /** The callbacks java-operator-sdk calls besides its own. */
  public LeaderCallbacks callbacks() {
    return new LeaderCallbacks(
        this::started, this::stopped, leader -> log.info("the Lease is held by {}", leader));
  }

  /** From now on, a Lease given up is not a reason to exit: the process is stopping anyway. */
  public void shuttingDown() {
    shuttingDown = true;
  }

  public LeaseFence fence() {
    return fence;
  }

  /**
   * Gives the Lease up if this replica holds it: no holder, so that a standby takes it at its next
   * try. Called after the operator stopped, when nothing of this replica's runs any more. The
   * update is conditional on the version read, so a Lease that moved meanwhile stays as it is.
   */
  public void release(KubernetesClient client) {
    fence.revoke();
    var leases = client.leases().inNamespace(leaseNamespace);
    try {
      var lease = leases.withName(leaseName).get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      var now = ZonedDateTime.now(ZoneOffset.UTC);
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(now);
      leases.resource(lease).update();
      log.info("{} released the Lease", identity);
    } catch (KubernetesClientException e) {
      log.warn(
          "{} could not release the Lease ({}): the others wait for it to expire",
          identity,
          e.getCode());
    }
  }

  private void started() {
    leadingSinceNanos = System.nanoTime();
    log.info("{} is leading: reconciling", identity);
  }

  private void stopped() {
    fence.revoke();
    if (shuttingDown) {
      return;
    }
    log.error(
        "{} lost the Lease after leading for {} s: it writes nothing more and exits, so that"
            + " a new process can run for the Lease",
        identity,
        Duration.ofNanos(System.nanoTime() - leadingSinceNanos).toSeconds());
    var thread = new Thread(exit, "django-operator-lost-lease");
    thread.setDaemon(false);
    thread.start();
  }
}
