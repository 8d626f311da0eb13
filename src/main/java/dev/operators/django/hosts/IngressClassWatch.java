package dev.operators.django.hosts;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.kube.Informers;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's IngressClasses (a handful of small cluster-scoped objects), and an event source:
 * when one is created or deleted, or its default mark changes, the apps with an Ingress are
 * reconciled, so that "IngressClass not found" clears (or appears) at once rather than at the next
 * resync. Other changes (a controller's parameters) touch nothing the operator reads.
 */
public final class IngressClassWatch extends AbstractEventSource<Void, DjangoApp> {
  private static final Logger log = LoggerFactory.getLogger(IngressClassWatch.class);
  public static final String NAME = "ingress-classes";

  private final IndexerResourceCache<DjangoApp> apps;
  private final SharedIndexInformer<IngressClass> informer;

  public IngressClassWatch(KubernetesClient client, IndexerResourceCache<DjangoApp> apps) {
    super(Void.class, NAME);
    this.apps = apps;
    this.informer = Informers.clusterScoped(client.network().v1().ingressClasses(), new Wake());
  }

  /** The watch registered for this controller. */
  public static IngressClassWatch of(Context<DjangoApp> context) {
    return (IngressClassWatch) context.eventSourceRetriever().getEventSourceFor(Void.class, NAME);
  }

  @Override
  public void start() throws OperatorException {
    try {
      informer.start().toCompletableFuture().get(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new OperatorException("could not list IngressClasses", e);
    }
    super.start();
  }

  @Override
  public void stop() throws OperatorException {
    informer.stop();
    super.stop();
  }

  /** Nothing for the workflow: the reconciler asks {@link #classes}. */
  @Override
  public Set<Void> getSecondaryResources(DjangoApp app) {
    return Set.of();
  }

  /** The IngressClasses in the cache now. */
  public IngressClasses classes() {
    var all = informer.getStore().list();
    return new IngressClasses(
        all.stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet()),
        all.stream()
            .filter(IngressClassWatch::isDefault)
            .sorted(
                Comparator.comparing(
                        (IngressClass c) -> String.valueOf(c.getMetadata().getCreationTimestamp()))
                    .thenComparing(c -> c.getMetadata().getName()))
            .map(c -> c.getMetadata().getName())
            .toList());
  }

  static boolean isDefault(IngressClass ingressClass) {
    Map<String, String> annotations = ingressClass.getMetadata().getAnnotations();
    return annotations != null && "true".equals(annotations.get(IngressClasses.DEFAULT_ANNOTATION));
  }

  private final class Wake implements ResourceEventHandler<IngressClass> {
    @Override
    public void onAdd(IngressClass ingressClass) {
      wake();
    }

    @Override
    public void onUpdate(IngressClass old, IngressClass ingressClass) {
      if (isDefault(old) != isDefault(ingressClass)
          || !Objects.equals(old.getMetadata().getName(), ingressClass.getMetadata().getName())) {
        wake();
      }
    }

    @Override
    public void onDelete(IngressClass ingressClass, boolean deletedFinalStateUnknown) {
      wake();
    }

    /** Every app with an Ingress: IngressClasses change rarely, and any app may name any class. */
    private void wake() {
      if (!isRunning()) {
        return;
      }
      var ids =
          apps.list()
              .filter(app -> app.getSpec() != null && app.getSpec().ingress != null)
              .map(ResourceID::fromResource)
              .toList();
      log.debug("IngressClasses changed: reconciling {} apps with an Ingress", ids.size());
      ids.forEach(id -> getEventHandler().handleEvent(new Event(id)));
    }
  }
}
