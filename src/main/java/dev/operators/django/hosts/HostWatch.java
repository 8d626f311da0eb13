package dev.operators.django.hosts;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.kube.Informers;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who claims and who serves each host, in the operator's namespaces, indexed by host: the
 * DjangoApps through an index on the controller's own cache (no second watch of them: each app is
 * decoded once), and every Ingress, the operator's or not, in an informer of its own that keeps
 * each reduced ({@link IngressHosts#reduce}). Also an event source: when the hosts of an app or an
 * Ingress change, or one is deleted, the other apps that claim those hosts are reconciled, so the
 * next claimant gets a released host at once rather than at the next resync. {@link HostDecision}
 * decides from what {@link #facts} reads.
 *
 * <p>"Any namespace" means any namespace this operator watches (all, unless WATCH_NAMESPACES limits
 * it): an operator limited to some namespaces may not be allowed to read the others.
 */
public final class HostWatch extends AbstractEventSource<Void, DjangoApp>
    implements ResourceEventAware<DjangoApp> {
  private static final Logger log = LoggerFactory.getLogger(HostWatch.class);
  public static final String NAME = "hosts";
  static final String HOST_INDEX = "host";

  private final IndexerResourceCache<DjangoApp> apps;
  private final List<SharedIndexInformer<Ingress>> ingresses;

  /**
   * Adds the host index to the controller's cache of DjangoApps, and builds (does not start) the
   * Ingress informers, in the controller's namespaces.
   *
   * @param namespaces the watched namespaces; empty: all
   */
  public HostWatch(EventSourceContext<DjangoApp> context, Set<String> namespaces) {
    super(Void.class, NAME);
    this.apps = context.getPrimaryCache();
    apps.addIndexer(HOST_INDEX, app -> List.copyOf(HostClaims.of(app)));
    this.ingresses =
        Informers.everyObject(
            context.getClient().network().v1().ingresses(),
            namespaces,
            () -> new ReducedStore<>(IngressHosts::reduce),
            Map.of(HOST_INDEX, IngressHosts::hosts),
            new IngressChanges());
  }

  /** The host watch of the controller whose reconcile this is. */
  public static HostWatch of(Context<DjangoApp> context) {
    return (HostWatch) context.eventSourceRetriever().getEventSourceFor(Void.class, NAME);
  }

  @Override
  public void start() throws OperatorException {
    try {
      for (var informer : ingresses) {
        informer.start().toCompletableFuture().get(2, TimeUnit.MINUTES);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new OperatorException("could not list Ingresses for host ownership", e);
    }
    super.start();
  }

  @Override
  public void stop() throws OperatorException {
    ingresses.forEach(SharedIndexInformer::stop);
    super.stop();
  }

  /** Nothing for the workflow: the reconciler asks {@link #decide}. */
  @Override
  public Set<Void> getSecondaryResources(DjangoApp app) {
    return Set.of();
  }

  /** Which of the app's hosts belong to someone else, and to whom. */
  public HostDecision decide(DjangoApp app) {
    return HostDecision.decide(app, this::facts);
  }

  /** Who claims and who serves the host now. */
  HostDecision.Facts facts(String host) {
    return new HostDecision.Facts(
        apps.byIndex(HOST_INDEX, host),
        ingresses.stream()
            .flatMap(i -> i.getIndexer().byIndex(HOST_INDEX, host).stream())
            .toList());
  }

  // The controller's own watch of the DjangoApps tells every event source that wants to know.

  @Override
  public void onResourceCreated(DjangoApp app) {
    wake(HostClaims.of(app), Optional.of(ResourceID.fromResource(app)));
  }

  @Override
  public void onResourceUpdated(DjangoApp app, DjangoApp old) {
    var before = HostClaims.of(old);
    var after = HostClaims.of(app);
    if (!before.equals(after)) {
      var all = new HashSet<>(before);
      all.addAll(after);
      wake(all, Optional.of(ResourceID.fromResource(app)));
    }
  }

  @Override
  public void onResourceDeleted(DjangoApp app) {
    wake(HostClaims.of(app), Optional.of(ResourceID.fromResource(app)));
  }

  /**
   * Reconciles the apps that claim these hosts, whose claims or servers changed: the hosts before
   * and after, so a released host reaches the next claimant. The object's own app is left out (its
   * own informers already reconcile it), and so are changes that touch no host (status writes).
   */
  private void wake(Set<String> hosts, Optional<ResourceID> except) {
    if (hosts.isEmpty() || !isRunning()) {
      return;
    }
    var claimants = new HashSet<ResourceID>();
    hosts.forEach(
        host ->
            apps.byIndex(HOST_INDEX, host)
                .forEach(app -> claimants.add(ResourceID.fromResource(app))));
    except.ifPresent(claimants::remove);
    if (!claimants.isEmpty()) {
      log.debug("hosts {} changed: reconciling {}", hosts, claimants);
    }
    claimants.forEach(id -> getEventHandler().handleEvent(new Event(id)));
  }

  /** An Ingress's hosts or owner changed, or it came or went. */
  private final class IngressChanges implements ResourceEventHandler<Ingress> {
    @Override
    public void onAdd(Ingress ingress) {
      wake(Set.copyOf(IngressHosts.hosts(ingress)), IngressHosts.ownerApp(ingress));
    }

    @Override
    public void onUpdate(Ingress old, Ingress ingress) {
      var before = Set.copyOf(IngressHosts.hosts(old));
      var after = Set.copyOf(IngressHosts.hosts(ingress));
      var ownerBefore = IngressHosts.ownerApp(old);
      var ownerAfter = IngressHosts.ownerApp(ingress);
      if (before.equals(after) && ownerBefore.equals(ownerAfter)) {
        return;
      }
      var all = new HashSet<>(before);
      all.addAll(after);
      wake(all, ownerAfter);
    }

    @Override
    public void onDelete(Ingress ingress, boolean deletedFinalStateUnknown) {
      wake(Set.copyOf(IngressHosts.hosts(ingress)), IngressHosts.ownerApp(ingress));
    }
  }
}
