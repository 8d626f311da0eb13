package dev.operators.django.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one way the operator builds its informers: label-selected, in the controller's namespaces,
 * with a pruned cache where that is safe (see {@link PrunedItemStore#forController}). Callers add
 * what is theirs (event filters, list limits) and build.
 */
public final class Informers {
  private Informers() {}

  /** An informer of {@code type} named {@code name}, for the controller of {@code context}. */
  public static <R extends HasMetadata, P extends HasMetadata>
      InformerEventSourceConfiguration.Builder<R> of(
          EventSourceContext<P> context,
          Class<R> type,
          String name,
          String labelSelector,
          SecondaryToPrimaryMapper<R> mapper,
          Supplier<ItemStore<R>> store) {
    return InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
        .withName(name)
        .withLabelSelector(labelSelector)
        .withSecondaryToPrimaryMapper(mapper)
        .withNamespacesInheritedFromController()
        .withItemStore(PrunedItemStore.forController(context, store));
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
