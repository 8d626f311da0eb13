package dev.operators.django.references;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.api.Problem;
import dev.operators.django.kube.Informers;
import dev.operators.django.kube.ObjectCompactor;
import dev.operators.django.kube.PrunedItemStore;
import dev.operators.django.references.ObservedReferences.Reason;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Watches the Secrets and ConfigMaps that DjangoApps reference. They belong to the user and carry
 * no label of ours, so the informers cover every Secret and ConfigMap in the watched namespaces
 * that is not the operator's own, and each one is reduced on arrival to its key names and a
 * fingerprint of its content: no value is held in memory. An index on the DjangoApp cache maps a
 * changed or newly created object to the apps that reference it, so a rotated password rolls the
 * pods at once, and an app waiting for a missing Secret proceeds as soon as it exists. A change of
 * labels or annotations alone triggers nothing.
 *
 * <p>Values never leave this class: only key names and a content fingerprint do.
 */
public final class ReferenceWatch {
  static final String SECRETS = "referenced-secrets";
  static final String CONFIG_MAPS = "referenced-config-maps";
  static final String INDEX = "references";
  private static final String NOT_OURS =
      DjangoAppResources.LABEL_MANAGED_BY + "!=" + DjangoAppResources.MANAGED_BY;

  private static final long LIST_PAGE = 250;

  public List<EventSource<?, DjangoApp>> eventSources(EventSourceContext<DjangoApp> context) {
    var apps = context.getPrimaryCache();
    apps.addIndexer(
        INDEX,
        app ->
            References.of(app).stream()
                .map(ref -> indexKey(ref.kind(), app.getMetadata().getNamespace(), ref.name()))
                .distinct()
                .toList());
    // One informer for all the controller's namespaces where one can serve them; else one per
    // namespace, each with its own reducing store (see PrunedItemStore.forController), so that
    // no Secret value is held in either mode.
    var controller = context.getControllerConfiguration();
    var sources = new ArrayList<EventSource<?, DjangoApp>>();
    for (var namespace :
        PrunedItemStore.oneInformerServesAll(controller)
            ? Set.of("")
            : controller.getInformerConfig().getNamespaces()) {
      sources.add(informer(context, Secret.class, SECRETS, namespace));
      sources.add(informer(context, ConfigMap.class, CONFIG_MAPS, namespace));
    }
    return sources;
  }

  /**
   * Every Secret or ConfigMap that is not the operator's own, in {@code namespace}, or in the
   * controller's namespaces if it is empty. Listed in pages: the objects are reduced only once a
   * page is stored, and a cluster's Secrets (Helm release Secrets, say) can be large.
   */
  private static <R extends HasMetadata> InformerEventSource<R, DjangoApp> informer(
      EventSourceContext<DjangoApp> context, Class<R> type, String name, String namespace) {
    var apps = context.getPrimaryCache();
    var kind = type.getSimpleName();
    var config =
        Informers.inNamespace(
                context,
                type,
                sourceName(name, namespace),
                namespace,
                NOT_OURS,
                object ->
                    apps
                        .byIndex(
                            INDEX,
                            indexKey(
                                kind,
                                object.getMetadata().getNamespace(),
                                object.getMetadata().getName()))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()),
                new ReducingItemStore<R>())
            .withInformerListLimit(LIST_PAGE)
            .withOnUpdateFilter(
                (updated, old) ->
                    !ReducedObjects.fingerprint(updated).equals(ReducedObjects.fingerprint(old)));
    return new InformerEventSource<>(config.build(), context);
  }

  private static String sourceName(String name, String namespace) {
    return namespace.isEmpty() ? name : name + "/" + namespace;
  }

  private static String indexKey(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }

  public ObservedReferences observe(DjangoApp app, Context<DjangoApp> context) {
    var versions = new TreeMap<String, String>();
    var keys = new HashMap<String, Set<String>>();
    var problems = new ArrayList<Problem>();
    var namespace = app.getMetadata().getNamespace();
    for (var ref : References.of(app)) {
      var id = new ResourceID(ref.name(), namespace);
      var informerNamespace =
          PrunedItemStore.oneInformerServesAll(context.getControllerConfiguration())
              ? ""
              : namespace;
      Optional<? extends HasMetadata> found =
          "Secret".equals(ref.kind())
              ? Informers.cached(context, Secret.class, sourceName(SECRETS, informerNamespace), id)
              : Informers.cached(
                  context, ConfigMap.class, sourceName(CONFIG_MAPS, informerNamespace), id);
      if (found.isEmpty()) {
        problems.add(
            new Problem(
                Reason.ReferenceNotFound.name(),
                ref.kind() + " " + ref.name() + " (" + ref.field() + ") not found"));
        continue;
      }
      var shapes = ReducedObjects.data(found.get());
      new TreeMap<>(ref.keys())
          .forEach(
              (key, requirement) ->
                  References.check(ref, key, requirement, shapes.get(key))
                      .ifPresent(problems::add));
      var object = ref.kind() + "/" + ref.name();
      versions.put(object, ReducedObjects.fingerprint(found.get()));
      keys.put(object, Set.copyOf(shapes.keySet()));
    }
    return new ObservedReferences(versions, keys, problems);
  }

  /** The informer cache of referenced objects: each kept reduced, then compacted. */
  static final class ReducingItemStore<R extends HasMetadata> extends PrunedItemStore<R> {
    @Override
    protected R shrink(R resource) {
      return ObjectCompactor.compact(ReducedObjects.reduce(resource));
    }
  }
}
