package dev.operators.django.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a container gets, resolved from the cluster's ConfigMaps and Secrets the way the
 * kubelet does: every envFrom source in order, each over the previous one and with its prefix, then
 * every env entry over all of them.
 */
public final class KubeletEnvironment {
  private KubeletEnvironment() {}

  public static Map<String, String> resolve(KubernetesClient client, Container container) {
    var env = new LinkedHashMap<String, String>();
    for (var source : container.getEnvFrom()) {
      var prefix = source.getPrefix() != null ? source.getPrefix() : "";
      Map<String, String> values =
          source.getConfigMapRef() != null
              ? configMap(client, source.getConfigMapRef().getName())
              : secret(client, source.getSecretRef().getName());
      values.forEach((k, v) -> env.put(prefix + k, v));
    }
    for (var variable : container.getEnv()) {
      var from = variable.getValueFrom();
      if (from == null) {
        env.put(variable.getName(), variable.getValue() != null ? variable.getValue() : "");
      } else if (from.getConfigMapKeyRef() != null) {
        var ref = from.getConfigMapKeyRef();
        env.put(variable.getName(), required(configMap(client, ref.getName()), ref.getKey()));
      } else if (from.getSecretKeyRef() != null) {
        var ref = from.getSecretKeyRef();
        env.put(variable.getName(), required(secret(client, ref.getName()), ref.getKey()));
      } else {
        throw new IllegalArgumentException("unsupported env source for " + variable.getName());
      }
    }
    return env;
  }

  private static Map<String, String> configMap(KubernetesClient client, String name) {
    var configMap = client.configMaps().withName(name).get();
    if (configMap == null) {
      throw new IllegalStateException("ConfigMap " + name + " not found: the pod cannot start");
    }
    return configMap.getData() != null ? configMap.getData() : Map.of();
  }

  private static Map<String, String> secret(KubernetesClient client, String name) {
    Secret secret = client.secrets().withName(name).get();
    if (secret == null) {
      throw new IllegalStateException("Secret " + name + " not found: the pod cannot start");
    }
    var decoded = new LinkedHashMap<String, String>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  decoded.put(
                      k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    return decoded;
  }

  private static String required(Map<String, String> values, String key) {
    if (!values.containsKey(key)) {
      throw new IllegalStateException("key " + key + " not found: the pod cannot start");
    }
    return values.get(key);
  }
}
