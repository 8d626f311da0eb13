package dev.operators.django.references;

import dev.operators.django.kube.ObjectCompactor;
import dev.operators.django.kube.Informers;
import dev.operators.django.kube.PrunedItemStore;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.kube.Digests;
import dev.operators.django.references.ObservedReferences.Problem;
import dev.operators.django.references.ObservedReferences.Reason;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Watches the Secrets and ConfigMaps that DjangoApps reference. They belong to the user and carry
 * no label of ours, so the informers cover every Secret and ConfigMap in the watched namespaces
 * that is not the operator's own, and each one is reduced on arrival to its key names and a
 * fingerprint of its content: no value is held in memory. An index on the DjangoApp cache maps a
 * changed or newly created object to the apps that reference it, so a rotated password rolls the
 * pods at once, and an app waiting for a missing Secret proceeds as soon as it exists. A change
 * of labels or annotations alone triggers nothing.
 *
 * <p>Values never leave this class: only key names and a content fingerprint do.
 */
public final class ReferenceObserver {
  static final String SECRETS = "referenced-secrets";
  static final String CONFIG_MAPS = "referenced-config-maps";
  static final String INDEX = "references";
  /** Where the reduced cache copy keeps the content fingerprint. */
  static final String FINGERPRINT = "django.operators.dev/content-fingerprint";
  private static final String NOT_OURS = DjangoAppResources.LABEL_MANAGED_BY + "!="
      + DjangoAppResources.MANAGED_BY;

  private static final long LIST_PAGE = 250;

  /** What a reference needs of a key. */
  enum Requirement {
    PRESENT, NOT_BLANK, EMAIL
  }

  /** A reference from the spec: what it is, and which keys the app needs from it. */
  record Reference(String kind, String name, String field, Map<String, Requirement> keys) {}

  public List<EventSource<?, DjangoApp>> eventSources(EventSourceContext<DjangoApp> context) {
    var apps = context.getPrimaryCache();
    apps.addIndexer(INDEX, app -> references(app).stream()
        .map(ref -> indexKey(ref.kind(), app.getMetadata().getNamespace(), ref.name()))
        .distinct().toList());
    // One informer for all the controller's namespaces where one can serve them; else one per
    // namespace, each with its own reducing store (see PrunedItemStore.forController), so that
    // no Secret value is held in either mode.
    var controller = context.getControllerConfiguration();
    var sources = new ArrayList<EventSource<?, DjangoApp>>();
    for (var namespace : PrunedItemStore.oneInformerServesAll(controller) ? Set.of("")
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
    var config = InformerEventSourceConfiguration.from(type, DjangoApp.class)
        .withName(sourceName(name, namespace))
        .withLabelSelector(NOT_OURS)
        .withInformerListLimit(LIST_PAGE)
        .withSecondaryToPrimaryMapper(object -> apps.byIndex(INDEX, indexKey(kind,
                object.getMetadata().getNamespace(), object.getMetadata().getName()))
            .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withOnUpdateFilter((updated, old) -> !fingerprint(updated).equals(fingerprint(old)))
        .withItemStore(new ReducingItemStore<R>());
    if (namespace.isEmpty()) {
      config.withNamespacesInheritedFromController();
    } else {
      config.withNamespaces(Set.of(namespace));
    }
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
    for (var ref : references(app)) {
      var id = new ResourceID(ref.name(), namespace);
      var informerNamespace =
          PrunedItemStore.oneInformerServesAll(context.getControllerConfiguration())
              ? "" : namespace;
      Optional<? extends HasMetadata> found = "Secret".equals(ref.kind())
          ? Informers.cached(context, Secret.class, sourceName(SECRETS, informerNamespace), id)
          : Informers.cached(context, ConfigMap.class, sourceName(CONFIG_MAPS, informerNamespace), id);
      if (found.isEmpty()) {
        problems.add(new Problem(Reason.ReferenceNotFound,
            ref.kind() + " " + ref.name() + " (" + ref.field() + ") not found"));
        continue;
      }
      var shapes = data(found.get());
      new TreeMap<>(ref.keys()).forEach((key, requirement) -> check(ref, key, requirement,
          shapes.get(key))
          .ifPresent(problems::add));
      var object = ref.kind() + "/" + ref.name();
      versions.put(object, fingerprint(found.get()));
      keys.put(object, Set.copyOf(shapes.keySet()));
    }
    return new ObservedReferences(versions, keys, problems);
  }

  /** A problem with one key of a found object, from its reduced value (its shape). */
  static Optional<Problem> check(Reference ref, String key, Requirement requirement,
      String shape) {
    var where = ref.kind() + " " + ref.name() + " (" + ref.field() + ")";
    if (shape == null) {
      return Optional.of(new Problem(Reason.ReferenceNotFound,
          where + " has no key '" + key + "'"));
    }
    if (requirement == Requirement.NOT_BLANK && ValueShape.BLANK.name().equals(shape)) {
      return Optional.of(new Problem(Reason.ReferenceInvalid,
          where + " key '" + key + "' is empty"));
    }
    if (requirement == Requirement.EMAIL && !ValueShape.EMAIL.name().equals(shape)) {
      return Optional.of(new Problem(Reason.ReferenceInvalid,
          where + " key '" + key + "' is not a valid email address, which Django's"
              + " createsuperuser refuses"));
    }
    return Optional.empty();
  }

  /** The content fingerprint of a cached (reduced) object; see {@link #reduce}. */
  static String fingerprint(HasMetadata reduced) {
    var annotations = reduced.getMetadata().getAnnotations();
    var cached = annotations == null ? null : annotations.get(FINGERPRINT);
    return cached != null ? cached : contentHash(reduced);
  }

  /** A truncated SHA-256 of the data: changes with the content, reveals nothing of it. */
  static String contentHash(HasMetadata object) {
    var digest = Digests.sha256();
    data(object).forEach((k, v) -> {
      digest.update(k.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(v.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    });
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  /**
   * Reduces a Secret or ConfigMap, in place, to what {@link #observe} needs: its identity, its
   * key names, each with the shape of its value instead of the value ({@link ValueShape}), and
   * the fingerprint of its content in an annotation.
   */
  static <R extends HasMetadata> R reduce(R object) {
    // From the data, whatever annotations the object came with.
    var fingerprint = contentHash(object);
    var metadata = object.getMetadata();
    metadata.setAnnotations(Map.of(FINGERPRINT, fingerprint));
    metadata.setLabels(Map.of());
    metadata.setManagedFields(List.of());
    var emptied = new TreeMap<String, String>();
    data(object).forEach((k, v) -> emptied.put(k, ValueShape.of(k, decoded(object, v)).name()));
    if (object instanceof Secret secret) {
      secret.setData(emptied);
      secret.setStringData(null);
    } else if (object instanceof ConfigMap configMap) {
      configMap.setData(emptied);
      configMap.setBinaryData(null);
    }
    return object;
  }

  /** A Secret's data is base64; the rest is plain text, or binary that is never an address. */
  private static String decoded(HasMetadata object, String value) {
    if (!(object instanceof Secret)) {
      return value;
    }
    try {
      return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value;
    }
  }

  /** All the entries of a Secret (data and stringData) or ConfigMap (data and binaryData). */
  private static SortedMap<String, String> data(HasMetadata object) {
    var data = new TreeMap<String, String>();
    if (object instanceof Secret secret) {
      putAll(data, secret.getData());
      putAll(data, secret.getStringData());
    } else if (object instanceof ConfigMap configMap) {
      putAll(data, configMap.getData());
      putAll(data, configMap.getBinaryData());
    }
    return data;
  }

  private static void putAll(Map<String, String> into, Map<String, String> from) {
    if (from != null) {
      into.putAll(from);
    }
  }

  /** The informer cache of referenced objects: each kept reduced, then compacted. */
  static final class ReducingItemStore<R extends HasMetadata> extends PrunedItemStore<R> {
    @Override
    protected R shrink(R resource) {
      return ObjectCompactor.compact(reduce(resource));
    }
  }

  static List<Reference> references(DjangoApp app) {
    var spec = app.getSpec();
    var refs = new ArrayList<Reference>();
    if (spec.secretKey != null) {
      refs.add(new Reference("Secret", spec.secretKey.secretName, "spec.secretKey",
          Map.of(spec.secretKey.key != null ? spec.secretKey.key : DjangoAppResources.SECRET_KEY,
              Requirement.NOT_BLANK)));
    }
    if (spec.database != null && spec.database.credentialsSecret != null) {
      refs.add(new Reference("Secret", spec.database.credentialsSecret,
          "spec.database.credentialsSecret",
          Map.of("username", Requirement.PRESENT, "password", Requirement.PRESENT)));
    }
    if (spec.staticFiles != null && spec.staticFiles.credentialsSecret != null) {
      refs.add(new Reference("Secret", spec.staticFiles.credentialsSecret,
          "spec.staticFiles.credentialsSecret",
          Map.of("accessKeyId", Requirement.PRESENT, "secretKey", Requirement.PRESENT)));
    }
    if (spec.superuser != null) {
      refs.add(new Reference("Secret", spec.superuser.credentialsSecret,
          "spec.superuser.credentialsSecret", Map.of("username", Requirement.NOT_BLANK,
              "email", Requirement.EMAIL, "password", Requirement.NOT_BLANK)));
    }
    for (int i = 0; i < spec.envFrom.size(); i++) {
      var source = spec.envFrom.get(i);
      var field = "spec.envFrom[" + i + "]";
      if (source.configMapRef != null) {
        refs.add(new Reference("ConfigMap", source.configMapRef.name, field, Map.of()));
      } else if (source.secretRef != null) {
        refs.add(new Reference("Secret", source.secretRef.name, field, Map.of()));
      }
    }
    return refs;
  }
}
