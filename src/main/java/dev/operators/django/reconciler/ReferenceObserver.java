package dev.operators.django.reconciler;

import dev.operators.django.api.DjangoApp;
import dev.operators.django.api.DjangoAppResources;
import dev.operators.django.dependent.ObservedReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the Secrets and ConfigMaps a DjangoApp references. They belong to the user and carry no
 * label of ours, so they are read on demand rather than cached by an informer over every Secret in
 * the cluster. Only names and keys are looked at; values never leave this method.
 */
public final class ReferenceObserver {

  /** A reference from the spec: what it is, and which keys the app needs from it. */
  record Reference(String kind, String name, String field, Set<String> keys) {}

  public ObservedReferences observe(DjangoApp app, KubernetesClient client) {
    var versions = new TreeMap<String, String>();
    var problems = new ArrayList<String>();
    var namespace = app.getMetadata().getNamespace();
    for (var ref : references(app)) {
      HasMetadata found = "Secret".equals(ref.kind())
          ? client.secrets().inNamespace(namespace).withName(ref.name()).get()
          : client.configMaps().inNamespace(namespace).withName(ref.name()).get();
      if (found == null) {
        problems.add(ref.kind() + " " + ref.name() + " (" + ref.field() + ") not found");
        continue;
      }
      var keys = found instanceof Secret secret ? keys(secret.getData(), secret.getStringData())
          : Set.<String>of();
      for (var key : ref.keys()) {
        if (!keys.contains(key)) {
          problems.add(ref.kind() + " " + ref.name() + " (" + ref.field() + ") has no key '"
              + key + "'");
        }
      }
      versions.put(ref.kind() + "/" + ref.name(), found.getMetadata().getResourceVersion());
    }
    return new ObservedReferences(versions, problems);
  }

  static List<Reference> references(DjangoApp app) {
    var spec = app.getSpec();
    var refs = new ArrayList<Reference>();
    if (spec.secretKey != null) {
      refs.add(new Reference("Secret", spec.secretKey.secretName, "spec.secretKey",
          Set.of(spec.secretKey.key != null ? spec.secretKey.key : DjangoAppResources.SECRET_KEY)));
    }
    if (spec.database != null && spec.database.credentialsSecret != null) {
      refs.add(new Reference("Secret", spec.database.credentialsSecret,
          "spec.database.credentialsSecret", Set.of("username", "password")));
    }
    if (spec.staticFiles != null && spec.staticFiles.credentialsSecret != null) {
      refs.add(new Reference("Secret", spec.staticFiles.credentialsSecret,
          "spec.staticFiles.credentialsSecret", Set.of("accessKeyId", "secretKey")));
    }
    for (int i = 0; i < spec.envFrom.size(); i++) {
      var source = spec.envFrom.get(i);
      var field = "spec.envFrom[" + i + "]";
      if (source.configMapRef != null) {
        refs.add(new Reference("ConfigMap", source.configMapRef.name, field, Set.of()));
      } else if (source.secretRef != null) {
        refs.add(new Reference("Secret", source.secretRef.name, field, Set.of()));
      }
    }
    return refs;
  }

  private static Set<String> keys(Map<String, String> data, Map<String, String> stringData) {
    var keys = new java.util.HashSet<String>();
    if (data != null) {
      keys.addAll(data.keySet());
    }
    if (stringData != null) {
      keys.addAll(stringData.keySet());
    }
    return keys;
  }
}
