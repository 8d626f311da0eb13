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
 * the cluster. Values never leave this class: only key names and a content fingerprint do.
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
      versions.put(ref.kind() + "/" + ref.name(), fingerprint(found));
    }
    return new ObservedReferences(versions, problems);
  }

  /** A truncated SHA-256 of the data: changes with the content, reveals nothing of it. */
  static String fingerprint(HasMetadata object) {
    var data = new TreeMap<String, String>();
    if (object instanceof Secret secret) {
      putAll(data, secret.getData());
      putAll(data, secret.getStringData());
    } else if (object instanceof io.fabric8.kubernetes.api.model.ConfigMap configMap) {
      putAll(data, configMap.getData());
      putAll(data, configMap.getBinaryData());
    }
    try {
      var digest = java.security.MessageDigest.getInstance("SHA-256");
      data.forEach((k, v) -> {
        digest.update(k.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update((byte) 0);
      });
      return java.util.HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putAll(Map<String, String> into, Map<String, String> from) {
    if (from != null) {
      into.putAll(from);
    }
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
    if (spec.superuser != null) {
      refs.add(new Reference("Secret", spec.superuser.credentialsSecret,
          "spec.superuser.credentialsSecret", Set.of("username", "email", "password")));
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
