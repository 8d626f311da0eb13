package dev.operators.django.hosts;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.function.UnaryOperator;

/**
 * An informer store that keeps a reduced copy of each object: host ownership watches every Ingress
 * in the operator's namespaces, not only the operator's, and needs of each only its identity, owner
 * and hosts.
 */
final class ReducedStore<R extends HasMetadata> extends BasicItemStore<R> {
  private final UnaryOperator<R> reduce;

  ReducedStore(UnaryOperator<R> reduce) {
    super(Cache::metaNamespaceKeyFunc);
    this.reduce = reduce;
  }

  @Override
  public R put(String key, R resource) {
    return super.put(key, reduce.apply(resource));
  }
}
