package dev.operators.django.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way the operator builds its informers: label-selected, in the controller's namespaces,
 * with a pruned cache where that is safe (see {@link PrunedItemStore#forController}). Callers add
 * what is theirs (event filters, list limits) and build.
 */
public final class Informers {
  private Informers() {}

  /**
   * An informer of {@code type} named {@code name}, for the controller of {@code context}; {@code
   * labelSelector} null: the caller selects otherwise (a field selector).
   */
  public static <R extends HasMetadata, P extends HasMetadata>
      InformerEventSourceConfiguration.Builder<R> of(
          EventSourceContext<P> context,
          Class<R> type,
          String name,
          String labelSelector,
          SecondaryToPrimaryMapper<R> mapper,
          Supplier<ItemStore<R>> store) {
    var builder =
        InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
            .withName(name)
            .withSecondaryToPrimaryMapper(mapper)
            .withNamespacesInheritedFromController()
            .withItemStore(PrunedItemStore.forController(context, store));
    return labelSelector == null ? builder : builder.withLabelSelector(labelSelector);
  }

  /**
   * As {@link #of}, in {@code namespace} only (empty: the controller's namespaces), with its own
   * store: for kinds whose every object must be reduced, whatever the namespaces (see {@link
   * PrunedItemStore#forController}: with several namespaces, {@link #of} keeps no store of its
   * own).
   */
  public static <R extends HasMetadata, P extends HasMetadata>
      InformerEventSourceConfiguration.Builder<R> inNamespace(
          EventSourceContext<P> context,
          Class<R> type,
          String name,
          String namespace,
          String labelSelector,
          SecondaryToPrimaryMapper<R> mapper,
          ItemStore<R> store) {
    var builder =
        InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
            .withName(name)
            .withLabelSelector(labelSelector)
            .withSecondaryToPrimaryMapper(mapper)
            .withItemStore(store);
    return namespace.isEmpty()
        ? builder.withNamespacesInheritedFromController()
        : builder.withNamespaces(Set.of(namespace));
  }

  /** As {@link #of}, for a kind the operator knows only by group, version and kind. */
  public static <P extends HasMetadata>
      InformerEventSourceConfiguration.Builder<GenericKubernetesResource> ofKind(
          EventSourceContext<P> context,
          GroupVersionKind kind,
          String name,
          String labelSelector,
          SecondaryToPrimaryMapper<GenericKubernetesResource> mapper) {
    var builder =
        InformerEventSourceConfiguration.from(kind, context.getPrimaryResourceClass())
            .withName(name)
            .withSecondaryToPrimaryMapper(mapper)
            .withNamespacesInheritedFromController()
            .withItemStore(PrunedItemStore.forController(context, PrunedItemStore::new));
    return labelSelector == null ? builder : builder.withLabelSelector(labelSelector);
  }

  /**
   * Informers of every object of a kind, the operator's or not, in the given namespaces (empty:
   * all; one informer per namespace), each with its own store from {@code store}, the given indexes
   * and handler, not started. For a watch that is no app's child and so has no owner to map it to
   * (host ownership reads every Ingress); keep what the store holds small.
   */
  public static <R extends HasMetadata, L extends KubernetesResourceList<R>>
      List<SharedIndexInformer<R>> everyObject(
          MixedOperation<R, L, ? extends Resource<R>> kind,
          Set<String> namespaces,
          Supplier<ItemStore<R>> store,
          Map<String, Function<R, List<String>>> indexers,
          ResourceEventHandler<R> handler) {
    var scopes = namespaces.isEmpty() ? List.<String>of("") : List.copyOf(namespaces);
    return scopes.stream()
        .map(
            namespace ->
                (namespace.isEmpty()
                        ? kind.inAnyNamespace().runnableInformer(0)
                        : kind.inNamespace(namespace).runnableInformer(0))
                    .itemStore(store.get())
                    .removeNamespaceIndex()
                    .addIndexers(indexers)
                    .addEventHandler(handler))
        .toList();
  }

  /**
   * The informer of every object of a cluster-scoped kind, with the given handler, not started. For
   * a handful of small objects that any app may name (IngressClasses), cached as they are.
   */
  public static <R extends HasMetadata, L extends KubernetesResourceList<R>>
      SharedIndexInformer<R> clusterScoped(
          NonNamespaceOperation<R, L, ? extends Resource<R>> kind,
          ResourceEventHandler<R> handler) {
    return kind.runnableInformer(0).removeNamespaceIndex().addEventHandler(handler);
  }

  /** The object of that name in the informer {@code source}'s cache. */
  @SuppressWarnings("unchecked")
  public static <R extends HasMetadata, P extends HasMetadata> Optional<R> cached(
      Context<P> context, Class<R> type, String source, ResourceID id) {
    return ((InformerEventSource<R, P>)
            context.eventSourceRetriever().getEventSourceFor(type, source))
        .get(id);
  }

  /** Maps an object to the primary named by its label {@code label}, in its namespace. */
  public static <R extends HasMetadata> SecondaryToPrimaryMapper<R> byLabel(String label) {
    return resource -> {
      var labels = resource.getMetadata().getLabels();
      var primary = labels == null ? null : labels.get(label);
      return primary == null
          ? Set.of()
          : Set.of(new ResourceID(primary, resource.getMetadata().getNamespace()));
    };
  }
}
