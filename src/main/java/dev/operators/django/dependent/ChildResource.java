package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.reconciler.PrunedItemStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/** A child the operator owns; lets errors and conflicts name the object they are about. */
public interface ChildResource {
  String kind();

  String childName(DjangoApp app);

  /**
   * The informer of a kind of child: the children carry the operator's labels, and live in the
   * namespaces of the controller. Its cache is pruned where that is safe (see {@link
   * PrunedItemStore#forController}), which the informer annotation cannot express.
   */
  static <R extends HasMetadata> InformerEventSource<R, DjangoApp> informer(
      EventSourceContext<DjangoApp> context, Class<R> type, String name, String labelSelector,
      SecondaryToPrimaryMapper<R> mapper) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, DjangoApp.class)
        .withName(name)
        .withLabelSelector(labelSelector)
        .withSecondaryToPrimaryMapper(mapper)
        .withNamespacesInheritedFromController()
        .withItemStore(PrunedItemStore.forController(context, PrunedItemStore::new))
        .build(), context);
  }

  /**
   * The app's child in the informer cache, looked up by its name. java-operator-sdk's default
   * builds the whole desired object just to learn that name, and hashes every cached secondary of
   * the app into a set; this was a measurable share of the operator's CPU with 1,000 apps. As
   * with the default, an object of that name that the app does not own is not its child.
   */
  static <R extends HasMetadata> Optional<R> owned(
      Optional<? extends InformerEventSource<R, DjangoApp>> source, String name,
      DjangoApp app) {
    var uid = app.getMetadata().getUid();
    return source.flatMap(s -> s.get(new ResourceID(name, app.getMetadata().getNamespace())))
        .filter(child -> child.getMetadata().getOwnerReferences().stream()
            .anyMatch(owner -> uid != null && uid.equals(owner.getUid())));
  }
}
