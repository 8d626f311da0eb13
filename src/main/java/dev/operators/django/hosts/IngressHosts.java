package dev.operators.django.hosts;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.kube.ObjectCompactor;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpecBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What host ownership reads of an Ingress, any Ingress of the watched namespaces: its rules' hosts
 * and the DjangoApp that controls it, if django-operator made it. Pure functions; {@link #reduce}
 * is what {@link HostWatch} keeps of each.
 */
public final class IngressHosts {
  private IngressHosts() {}

  static List<String> hosts(Ingress ingress) {
    if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
      return List.of();
    }
    return HostClaims.normalizedAll(
        ingress.getSpec().getRules().stream().map(IngressRule::getHost).toList());
  }

  /** The DjangoApp that controls this Ingress, when django-operator made it. */
  static Optional<ResourceID> ownerApp(Ingress ingress) {
    return controller(ingress)
        .map(owner -> new ResourceID(owner.getName(), ingress.getMetadata().getNamespace()));
  }

  static Optional<String> ownerUid(Ingress ingress) {
    return controller(ingress).map(OwnerReference::getUid);
  }

  private static Optional<OwnerReference> controller(Ingress ingress) {
    var labels = ingress.getMetadata().getLabels();
    if (labels == null
        || !DjangoAppResources.MANAGED_BY.equals(labels.get(DjangoAppResources.LABEL_MANAGED_BY))) {
      return Optional.empty();
    }
    var refs = ingress.getMetadata().getOwnerReferences();
    return refs == null
        ? Optional.empty()
        : refs.stream()
            .filter(r -> Boolean.TRUE.equals(r.getController()))
            .filter(
                r ->
                    "DjangoApp".equals(r.getKind())
                        && r.getApiVersion() != null
                        && r.getApiVersion().startsWith(DjangoApp.GROUP + "/"))
            .findFirst();
  }

  /** An Ingress as host ownership reads it: identity, age, owner and its rules' hosts. */
  static Ingress reduce(Ingress ingress) {
    var source = ingress.getMetadata();
    var metadata = new ObjectMeta();
    metadata.setName(source.getName());
    metadata.setNamespace(source.getNamespace());
    metadata.setUid(source.getUid());
    metadata.setResourceVersion(source.getResourceVersion());
    metadata.setCreationTimestamp(source.getCreationTimestamp());
    metadata.setAnnotations(null);
    metadata.setFinalizers(null);
    metadata.setManagedFields(null);
    var managedBy =
        source.getLabels() == null
            ? null
            : source.getLabels().get(DjangoAppResources.LABEL_MANAGED_BY);
    metadata.setLabels(
        managedBy == null ? null : Map.of(DjangoAppResources.LABEL_MANAGED_BY, managedBy));
    metadata.setOwnerReferences(
        source.getOwnerReferences() == null
            ? null
            : source.getOwnerReferences().stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()))
                .map(
                    r ->
                        new OwnerReference(
                            r.getApiVersion(), null, true, r.getKind(), r.getName(), r.getUid()))
                .toList());
    var reduced = new Ingress();
    reduced.setMetadata(metadata);
    reduced.setSpec(
        new IngressSpecBuilder()
            .withTls((List<IngressTLS>) null)
            .withRules(
                hosts(ingress).stream()
                    .map(
                        host -> {
                          var rule = new IngressRule();
                          rule.setHost(host);
                          return rule;
                        })
                    .toList())
            .build());
    // The model's eager empty maps and lists (one for unknown properties per object) would be
    // most of what is left.
    return ObjectCompactor.compact(reduced);
  }
}
