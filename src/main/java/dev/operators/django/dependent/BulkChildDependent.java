package dev.operators.django.dependent;

import dev.operators.django.api.DjangoApp;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Children of one kind, as many as the spec lists (processes, schedules, autoscalers), each keyed
 * by its name: java-operator-sdk creates and updates each one and deletes those the spec no longer
 * lists. Errors name them all (see {@link #childName}).
 */
public abstract class BulkChildDependent<R extends HasMetadata> extends ChildDependent<R>
    implements BulkDependentResource<R, DjangoApp, ResourceID>,
        Creator<R, DjangoApp>,
        Updater<R, DjangoApp>,
        GarbageCollected<DjangoApp> {

  protected BulkChildDependent(Class<R> type) {
    super(type);
  }

  /**
   * The desired children by name, from the app and what the reconciler put into the context ({@link
   * AppInputs}, the caches); each subclass builds them with a pure static function.
   */
  protected abstract Map<String, R> desiredByName(DjangoApp app, Context<DjangoApp> context);

  @Override
  public Map<ResourceID, R> desiredResources(DjangoApp app, Context<DjangoApp> context) {
    var byId = new LinkedHashMap<ResourceID, R>();
    desiredByName(app, context)
        .forEach(
            (name, child) ->
                byId.put(new ResourceID(name, app.getMetadata().getNamespace()), child));
    return byId;
  }

  /** The app's children of this kind in the informer cache (those it owns). */
  @Override
  public Map<ResourceID, R> getSecondaryResources(DjangoApp app, Context<DjangoApp> context) {
    var uid = app.getMetadata().getUid();
    return eventSource()
        .map(
            source ->
                source.getSecondaryResources(app).stream()
                    .filter(
                        child ->
                            child.getMetadata().getOwnerReferences().stream()
                                .anyMatch(owner -> uid != null && uid.equals(owner.getUid())))
                    .collect(
                        Collectors.toMap(
                            ResourceID::fromResource,
                            child -> child,
                            (a, b) -> a,
                            LinkedHashMap::new)))
        .map(m -> (Map<ResourceID, R>) m)
        .orElse(Map.of());
  }

  /** The names of the children the spec asks for. */
  protected abstract List<String> names(DjangoApp app);

  /** All the names the spec asks for, for messages about a failed write. */
  @Override
  public String childName(DjangoApp app) {
    var names = String.join(", ", names(app));
    return names.isEmpty() ? "(none)" : names;
  }
}
