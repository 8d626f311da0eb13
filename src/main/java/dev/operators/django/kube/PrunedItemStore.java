package dev.operators.django.kube;

import dev.operators.django.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An informer cache that keeps only what the operator reads, so that memory per app stays small and
 * no Secret value is held: managed fields of other managers (only the operator's own entry matters,
 * to server-side-apply matching, and only in the caches of the children it applies: the owner of
 * the cache says so, see {@link #PrunedItemStore(boolean)}), kubectl's last-applied-configuration,
 * Secret data (the operator needs the generated key Secret's identity and the TLS Secret's
 * annotations, never their values), and the pod template of finished-or-not Jobs (their status and
 * labels say all). What is left is then compacted by {@link ObjectCompactor}.
 */
public class PrunedItemStore<R extends HasMetadata> implements ItemStore<R> {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final BasicItemStore<R> delegate = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final boolean keepOwnManagedFields;

  /** A store that keeps no managed fields: its objects are read, never server-side applied. */
  public PrunedItemStore() {
    this(false);
  }

  /**
   * @param keepOwnManagedFields whether the operator's own managed-fields entry is kept, which
   *     java-operator-sdk's server-side-apply matcher needs for the objects it applies
   */
  public PrunedItemStore(boolean keepOwnManagedFields) {
    this.keepOwnManagedFields = keepOwnManagedFields;
  }

  @Override
  public String getKey(R resource) {
    return delegate.getKey(resource);
  }

  @Override
  public R put(String key, R resource) {
    return delegate.put(key, shrink(resource));
  }

  /** What is kept of an object that enters the cache; changes it in place. */
  protected R shrink(R resource) {
    return prune(resource, keepOwnManagedFields);
  }

  static <R extends HasMetadata> R prune(R resource, boolean keepOwnManagedFields) {
    var metadata = resource.getMetadata();
    if (metadata.getAnnotations() != null) {
      metadata.getAnnotations().remove(LAST_APPLIED);
    }
    if (metadata.getManagedFields() != null) {
      metadata
          .getManagedFields()
          .removeIf(
              entry ->
                  !keepOwnManagedFields
                      || !OperatorSettings.FIELD_MANAGER.equals(entry.getManager()));
    }
    if (resource instanceof Secret secret) {
      secret.setData(null);
      secret.setStringData(null);
    } else if (resource instanceof Job job && job.getSpec() != null) {
      job.getSpec().setTemplate(null);
    }
    return ObjectCompactor.compact(resource);
  }

  /**
   * {@code store}, if one informer serves all the controller's namespaces (all of them, or just
   * one); else null, for the informer's own default store. With several namespaces,
   * java-operator-sdk runs an informer per namespace and hands them all the one store instance in
   * the configuration: shared, the namespaces' objects mix, and a relist of one namespace drops the
   * objects of the others. So with several namespaces the caches are not pruned.
   */
  public static <R extends HasMetadata> ItemStore<R> forController(
      EventSourceContext<?> context, Supplier<ItemStore<R>> store) {
    return oneInformerServesAll(context.getControllerConfiguration()) ? store.get() : null;
  }

  /** Whether the controller watches all namespaces or one, so one informer serves all. */
  public static boolean oneInformerServesAll(ControllerConfiguration<?> controller) {
    return controller.getInformerConfig().getNamespaces().size() == 1;
  }

  @Override
  public R remove(String key) {
    return delegate.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return delegate.keySet();
  }

  @Override
  public Stream<R> values() {
    return delegate.values();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public R get(String key) {
    return delegate.get(key);
  }

  @Override
  public boolean isFullState() {
    return delegate.isFullState();
  }
}
